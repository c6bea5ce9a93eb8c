import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { consoleProblems } from './console-problems.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A cache of its own: the dependencies are pre-bundled afresh, as on a first `npm run dev`, and a
// dev server someone runs beside the test keeps its node_modules/.vite.
const CACHE = mkdtempSync(join(tmpdir(), 'hypermeta-vite-cache-'));

let page: Page;
let server: ViteDevServer | undefined;
const cleanup: (() => Promise<void>)[] = [];
const consoleLines: string[] = [];
const pageErrors: string[] = [];

type Dynamics = { running: boolean; steps: number; message: string };
type Started = { error?: string; backend?: string; sinusoid?: { truth: number[] } };
const started = () => page.evaluate(() => window.__hypermeta as Started);

beforeAll(async () => {
  // Port 0: the system picks a free one. No file watching: nothing changes under the test.
  server = await createServer({
    root: ROOT,
    cacheDir: CACHE,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, watch: null },
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0];
  const browser = await launchChromium();
  cleanup.push(browser.close);
  page = await browser.context.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // A module that throws while loading stops the page before it can report anything itself.
  const thrown = new Promise<never>((_, reject) => page.once('pageerror', reject));
  thrown.catch(() => {}); // one thrown later is in pageErrors, which the tests check
  await page.goto(`${url}?seed=7`);
  // The panels start one after the other, dynamics last; a failed start sets the error instead.
  const ready = page.waitForFunction(
    () =>
      window.__hypermeta?.error !== undefined ||
      document.getElementById('dynamics')?.dataset.ready === 'true',
    null,
    { timeout: 45_000 },
  );
  await Promise.race([ready, thrown]);
}, 60_000);

afterAll(async () => {
  for (const c of cleanup) await c();
  await server?.close();
  rmSync(CACHE, { recursive: true, force: true });
});

describe('web demo on the vite dev server (npm run dev)', () => {
  it('starts without an error, on the wasm backend, with the sinusoid panel adapting', async () => {
    const s = await started();
    expect(s.error).toBeUndefined();
    expect(pageErrors).toEqual([]);
    expect(s.backend).toBe('wasm');
    expect(await page.locator('#runtime').getAttribute('data-backend')).toBe('wasm');
    expect(s.sinusoid!.truth.length).toBeGreaterThan(0);
    // One click in the middle of the plot: the hypernetwork adapts to it and predicts the curve.
    const canvas = (await page.locator('#sine-canvas').boundingBox())!;
    await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    const after = await page.evaluate(
      () => window.__hypermeta.sinusoid as { points: unknown[]; predicted: number[] | null },
    );
    expect(after.points).toHaveLength(1);
    expect(after.predicted).toHaveLength(s.sinusoid!.truth.length);
    expect(after.predicted!.every(Number.isFinite)).toBe(true);
  });

  it('loads MuJoCo on Start and runs the controlled pendulum', async () => {
    await page.click('#dyn-run');
    // 25 control steps: half a second simulated, each one generated and planned by the model.
    await page.waitForFunction(
      () => {
        const d = (window.__hypermeta as { dynamics?: Dynamics }).dynamics;
        return (d?.steps ?? 0) >= 25 || !!d?.message;
      },
      null,
      { timeout: 30_000 },
    );
    const d = await page.evaluate(() => (window.__hypermeta as { dynamics?: Dynamics }).dynamics!);
    expect(d.message).toBe('');
    expect(d.running).toBe(true);
    await page.click('#dyn-run'); // pause: the page stops stepping before it is closed
    expect(pageErrors).toEqual([]);
    expect(consoleProblems(consoleLines)).toEqual([]);
  });
});
