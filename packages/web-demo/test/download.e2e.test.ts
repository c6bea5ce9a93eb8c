import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { serveFolder } from './static-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../dist', import.meta.url));
// The CLI's runner of the official runtimes (tfjs-layers over http, onnxruntime-node), in its own process.
const RUNTIMES = fileURLToPath(new URL('../../cli/src/export/official-runtimes.cjs', import.meta.url));

let page: Page;
const cleanup: (() => Promise<void>)[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-demo-download-'));

beforeAll(async () => {
  await build({ root: ROOT, logLevel: 'warn' });
  const server = await serveFolder(DIST);
  cleanup.push(server.close);
  const browser = await launchChromium();
  cleanup.unshift(browser.close);
  page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('#fewshot[data-ready="true"]', { timeout: 60_000 });
});

afterAll(async () => {
  for (const c of cleanup) await c();
  rmSync(tmp, { recursive: true, force: true });
});

async function stroke(points: [number, number][]): Promise<void> {
  const box = (await page.locator('#draw-pad').boundingBox())!;
  const at = ([u, v]: [number, number]) => [box.x + u * box.width, box.y + v * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

describe('downloading the drawing panel’s classifier', () => {
  it('asks for examples first, then downloads a zip whose model.json and model.onnx load', async () => {
    await page.click('#download-classifier');
    expect(await page.locator('#download-size').textContent()).toMatch(/at least one example/);
    const shapes: [number, number][][] = [
      [
        [0.5, 0.15],
        [0.5, 0.85],
      ],
      [
        [0.15, 0.5],
        [0.85, 0.5],
      ],
      [
        [0.2, 0.2],
        [0.8, 0.8],
      ],
    ];
    for (const [c, s] of shapes.entries()) {
      await stroke(s);
      await page.click(`#add-class-${c + 1}`);
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-classifier')]);
    expect(download.suggestedFilename()).toBe('hypermeta-classifier.zip');
    const zipPath = join(tmp, 'classifier.zip');
    await download.saveAs(zipPath);
    const zipBytes = readFileSync(zipPath);
    const files = unzipSync(new Uint8Array(zipBytes));
    expect(Object.keys(files).sort()).toEqual([
      'labels.json',
      'model.json',
      'model.onnx',
      'model.weights.bin',
    ]);
    expect(JSON.parse(new TextDecoder().decode(files['labels.json']))).toEqual([
      'class 1',
      'class 2',
      'class 3',
    ]);
    const size = await page.locator('#download-size');
    expect(await size.getAttribute('data-bytes')).toBe(String(zipBytes.byteLength));
    expect(await size.textContent()).toMatch(/^\d+\.\d kB/);
    const dir = join(tmp, 'classifier');
    mkdirSync(dir);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const input = join(tmp, 'query.bin');
    writeFileSync(input, new Uint8Array(new Float32Array(2 * 784).fill(0.1).buffer));
    const r = spawnSync(process.execPath, [RUNTIMES, dir, input, '[2,28,28,1]'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { tfjs: number[]; onnx: number[]; outputShape: number[] };
    expect(out.outputShape).toEqual([2, 3]);
    out.tfjs.forEach((v, i) =>
      expect(Math.abs(v - out.onnx[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))),
    );
  });
});
