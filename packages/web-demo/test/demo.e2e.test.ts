import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { serveFolder } from './static-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts', import.meta.url));

// A broken model (say, predicting y = 0) scores the task's mean of y², about A²/2. The shipped
// checkpoint scores 0.095 ± 0.015 at 5 shots over 1000 tasks; this bound is for 6 clicked points.
const MSE_BOUND = 0.3;

let page: Page;
const cleanup: (() => Promise<void>)[] = [];
const consoleLines: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  await build({ root: ROOT, logLevel: 'warn' }); // the page under test is always the current source
  const server = await serveFolder(DIST);
  cleanup.push(server.close);
  const browser = await launchChromium();
  cleanup.unshift(browser.close);
  page = await browser.context.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${server.url}?seed=7`);
  await page.waitForSelector('#fewshot[data-ready="true"]', { timeout: 60_000 });
});

afterAll(async () => {
  if (page) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/web-demo.png`, fullPage: true });
  }
  for (const c of cleanup) await c();
});

type Sine = { task: { amplitude: number; phase: number }; points: unknown[]; truth: number[]; predicted: number[] | null; adaptMs: number | null; frame: { left: number; top: number; width: number; height: number; x: number[]; y: number[] } };
const sine = () => page.evaluate(() => window.__hypermeta.sinusoid as never) as Promise<Sine>;

describe('web demo in headless Chromium', () => {
  it('runs on the wasm backend with SIMD, with one tfjs-core and no errors', async () => {
    const runtime = page.locator('#runtime');
    await expect(runtime.getAttribute('data-backend')).resolves.toBe('wasm');
    await expect(runtime.getAttribute('data-simd')).resolves.toBe('true');
    expect(await runtime.textContent()).toMatch(/Backend: wasm · WebAssembly SIMD: on/);
    expect(pageErrors).toEqual([]);
    // a second tfjs-core would warn about the platform or re-registered kernels
    expect(consoleLines.filter((l) => /already been set|already registered|error/i.test(l))).toEqual([]);
  });

  it('draws a new task, with no points and no prediction', async () => {
    const before = (await sine()).task;
    await page.click('#new-task');
    const s = await sine();
    expect(s.points).toHaveLength(0);
    expect(s.predicted).toBeNull();
    expect(s.task).not.toEqual(before);
  });
  it('adapts to clicked points at once and follows the true curve', async () => {
    const canvas = await page.locator('#sine-canvas').boundingBox();
    const s0 = await sine();
    expect(s0.predicted).toBeNull();
    const { left, top, width, height, x, y } = s0.frame;
    const f = (v: number) => s0.task.amplitude * Math.sin(v - s0.task.phase);
    let previous: number[] | null = null;
    const xs = [-4.3, -2.7, -1.1, 0.5, 2.1, 3.7];
    for (const [i, v] of xs.entries()) {
      // a real click on the canvas, at the pixel of the true curve
      const px = left + ((v - x[0]) / (x[1] - x[0])) * width;
      const py = top + ((y[1] - f(v)) / (y[1] - y[0])) * height;
      await page.mouse.click(canvas!.x + px, canvas!.y + py);
      const s = await sine();
      expect(s.points).toHaveLength(i + 1);
      expect(s.predicted).toHaveLength(s.truth.length);
      if (previous) expect(Math.max(...s.predicted!.map((p, j) => Math.abs(p - previous![j])))).toBeGreaterThan(1e-3);
      previous = s.predicted;
    }
    const s = await sine();
    const mse = s.truth.reduce((a, t, j) => a + (t - s.predicted![j]) ** 2, 0) / s.truth.length;
    const zeroMse = s.truth.reduce((a, t) => a + t * t, 0) / s.truth.length;
    console.log(`sinusoid: A=${s.task.amplitude.toFixed(3)} phase=${s.task.phase.toFixed(3)}, 6 clicks: MSE ${mse.toFixed(4)} (predicting 0: ${zeroMse.toFixed(3)}), adaptation ${s.adaptMs!.toFixed(2)} ms`);
    expect(mse).toBeLessThan(MSE_BOUND);
    expect(zeroMse).toBeGreaterThan(10 * MSE_BOUND); // the bound would catch a model that ignores the points
    expect(await page.locator('#sine-readout').textContent()).toMatch(/^6 points · adapted in [\d.]+ ms · MSE/);
  });

});

/** Draws a polyline on the drawing pad with the mouse (coordinates in 0..1 of the pad). */
async function stroke(points: [number, number][]): Promise<void> {
  const box = (await page.locator('#draw-pad').boundingBox())!;
  const at = ([u, v]: [number, number]) => [box.x + u * box.width, box.y + v * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

const circle = (cx: number, cy: number, r: number): [number, number][] => Array.from({ length: 25 }, (_, i) => [cx + r * Math.cos((i / 24) * 2 * Math.PI), cy + r * Math.sin((i / 24) * 2 * Math.PI)]);
const SHAPES: [number, number][][][] = [
  [[[0.5, 0.15], [0.5, 0.85]], [[0.45, 0.2], [0.47, 0.8]]], // class 1: vertical bars
  [[[0.15, 0.5], [0.85, 0.5]], [[0.2, 0.45], [0.8, 0.48]]], // class 2: horizontal bars
  [circle(0.5, 0.5, 0.3), circle(0.48, 0.52, 0.25)], // class 3: rings
];

describe('few-shot drawing panel', () => {
  it('turns drawn examples and a query into a prediction with scores', async () => {
    for (const [c, examples] of SHAPES.entries()) {
      for (const ex of examples) {
        await stroke(ex);
        await page.click(`#add-class-${c + 1}`);
      }
    }
    expect(await page.evaluate(() => (window.__hypermeta.fewshot as { examples: number[] }).examples)).toEqual([2, 2, 2]);
    expect(await page.locator('.class-row canvas').count()).toBe(6);
    await stroke([[0.55, 0.2], [0.53, 0.8]]); // a query: another vertical bar
    await page.click('#classify');
    await page.waitForSelector('#scores[data-predicted]:not([data-predicted=""])');
    const r = await page.evaluate(() => window.__hypermeta.fewshot as { trained: boolean; result: { scores: number[]; predicted: number; ms: number } });
    expect(r.result.scores).toHaveLength(3);
    expect(r.result.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(r.result.predicted).toBe(r.result.scores.indexOf(Math.max(...r.result.scores)));
    expect(await page.locator('.score-row').count()).toBe(3);
    console.log(`fewshot (${r.trained ? 'trained checkpoint' : 'untrained protonet'}): scores ${r.result.scores.map((p) => p.toFixed(3)).join(', ')}, ${r.result.ms.toFixed(1)} ms`);
    if (r.trained) expect(r.result.predicted).toBe(0); // a trained model must match the bar to the bars
  });
});
