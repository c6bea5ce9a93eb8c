import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from './browser.js';
import { serveFolder } from './static-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The production build of the demo, served and open in headless Chromium. */
export interface BuiltDemo {
  page: Page;
  url: string;
  /** Another page of the same browser (for a page whose models fail to load, say). */
  newPage: () => Promise<Page>;
  /** What the first page logged, as "type: text", and the errors it threw. */
  consoleLines: string[];
  pageErrors: string[];
  close: () => Promise<void>;
}

/**
 * Builds the demo into a folder of its own (other browser tests build at the same time), serves
 * it, opens it at `query` and waits for `ready` (a panel's selector) to appear.
 */
export async function openBuiltDemo(name: string, ready: string, query = ''): Promise<BuiltDemo> {
  const out = mkdtempSync(join(tmpdir(), `hypermeta-demo-${name}-`));
  const cleanup: (() => Promise<void>)[] = [async () => rmSync(out, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanup) await c();
  };
  try {
    await build({ root: ROOT, logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    const server = await serveFolder(out);
    cleanup.unshift(server.close);
    const browser = await launchChromium();
    cleanup.unshift(browser.close);
    const newPage = () => browser.context.newPage();
    const page = await newPage();
    const consoleLines: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${server.url}${query}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
    return { page, url: server.url, newPage, consoleLines, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}
