import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { consoleProblems } from './console-problems.js';
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

type Box = { x: number; y: number; width: number; height: number };
type Sine = {
  task: { amplitude: number; phase: number };
  points: unknown[];
  truth: number[];
  predicted: number[] | null;
  adaptMs: number | null;
  frame: { left: number; top: number; width: number; height: number; x: number[]; y: number[] };
  layout: {
    legend: { label: string; kind: string; color: string; box: Box }[];
    axisTitles: { text: string; x: number; y: number }[];
  } | null;
};
const sine = () => page.evaluate(() => window.__hypermeta.sinusoid as never) as Promise<Sine>;

/** RGB pixels of a box of the sinusoid canvas, given in CSS pixels (read at the canvas's device scale). */
async function canvasPixels(
  box: Box,
): Promise<{ width: number; height: number; rgb: [number, number, number][] }> {
  return page.evaluate((b) => {
    const c = document.getElementById('sine-canvas') as HTMLCanvasElement;
    const k = c.width / c.clientWidth;
    const img = c
      .getContext('2d')!
      .getImageData(
        Math.round(b.x * k),
        Math.round(b.y * k),
        Math.round(b.width * k),
        Math.round(b.height * k),
      );
    const rgb: [number, number, number][] = [];
    for (let i = 0; i < img.data.length; i += 4) rgb.push([img.data[i], img.data[i + 1], img.data[i + 2]]);
    return { width: img.width, height: img.height, rgb };
  }, box);
}

const hexRgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const near = (a: number[], b: number[], tol = 40) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) < tol;
const WHITE = [255, 255, 255];

describe('web demo in headless Chromium', () => {
  it('runs on the wasm backend with SIMD, with one tfjs-core and no errors', async () => {
    const runtime = page.locator('#runtime');
    await expect(runtime.getAttribute('data-backend')).resolves.toBe('wasm');
    await expect(runtime.getAttribute('data-simd')).resolves.toBe('true');
    expect(await runtime.textContent()).toMatch(/Backend: wasm · WebAssembly SIMD: on/);
    expect(pageErrors).toEqual([]);
    // a second tfjs-core would warn about the platform or re-registered kernels
    expect(consoleProblems(consoleLines)).toEqual([]);
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
      if (previous)
        expect(Math.max(...s.predicted!.map((p, j) => Math.abs(p - previous![j])))).toBeGreaterThan(1e-3);
      previous = s.predicted;
    }
    const s = await sine();
    const mse = s.truth.reduce((a, t, j) => a + (t - s.predicted![j]) ** 2, 0) / s.truth.length;
    const zeroMse = s.truth.reduce((a, t) => a + t * t, 0) / s.truth.length;
    console.log(
      `sinusoid: A=${s.task.amplitude.toFixed(3)} phase=${s.task.phase.toFixed(3)}, 6 clicks: MSE ${mse.toFixed(4)} (predicting 0: ${zeroMse.toFixed(3)}), adaptation ${s.adaptMs!.toFixed(2)} ms`,
    );
    expect(mse).toBeLessThan(MSE_BOUND);
    expect(zeroMse).toBeGreaterThan(10 * MSE_BOUND); // the bound would catch a model that ignores the points
    expect(await page.locator('#sine-readout').textContent()).toMatch(
      /^6 points · adapted in [\d.]+ ms · MSE/,
    );
  });

  it('ignores clicks outside the plot area: legend, tick labels, margins', async () => {
    const canvas = (await page.locator('#sine-canvas').boundingBox())!;
    const before = await sine();
    const { left, top, width, height } = before.frame;
    const outside: [number, number][] = [
      [left + 10, top / 2], // the legend strip above the plot
      [left / 2, top + height / 2], // y tick labels and title
      [left + width / 2, top + height + 12], // x tick labels
      [left + width / 2, canvas.height - 3], // the bottom edge, under the x title
      [left + width + 6, top + height / 2], // the right margin
      [left - 2, top + 10], // just left of the plot area
    ];
    expect(outside.every(([x, y]) => x > 0 && x < canvas.width && y > 0 && y < canvas.height)).toBe(true);
    for (const [x, y] of outside) {
      await page.mouse.click(canvas.x + x, canvas.y + y);
      const s = await sine();
      expect(s.points, `click at ${x.toFixed(0)},${y.toFixed(0)}`).toHaveLength(before.points.length);
      expect(s.predicted).toEqual(before.predicted);
    }
  });

  it('labels its axes and draws a legend whose symbols match the marks', async () => {
    const { layout, frame } = await sine();
    expect(layout!.legend.map((e) => [e.label, e.kind])).toEqual([
      ['true curve', 'dashed line'],
      ['prediction', 'line'],
      ['support points', 'point'],
    ]);
    for (const e of layout!.legend) {
      // the legend sits above the plot area, where no click lands and no curve is drawn
      expect(e.box.y + e.box.height).toBeLessThanOrEqual(frame.top);
      const px = await canvasPixels(e.box);
      const color = hexRgb(e.color);
      const mid = px.rgb.slice(
        Math.floor(px.height / 2) * px.width,
        (Math.floor(px.height / 2) + 1) * px.width,
      );
      const inked = mid.filter((c) => near(c, color)).length / mid.length;
      if (e.kind === 'line') expect(inked, e.label).toBeGreaterThan(0.9);
      if (e.kind === 'dashed line') {
        expect(inked, e.label).toBeGreaterThan(0.4); // dashes…
        expect(inked, e.label).toBeLessThan(0.85); // …with gaps
        expect(mid.some((c) => near(c, WHITE, 10))).toBe(true);
      }
      if (e.kind === 'point') {
        expect(
          near(px.rgb[Math.floor(px.height / 2) * px.width + Math.floor(px.width / 2)], color),
          e.label,
        ).toBe(true); // a filled dot…
        expect(inked, e.label).toBeLessThan(0.6); // …not a line
        expect(near(px.rgb[0], WHITE, 10) && near(px.rgb[px.rgb.length - 1], WHITE, 10)).toBe(true);
      }
    }
    expect(layout!.axisTitles.map((t) => t.text)).toEqual(['x', 'y']);
    const [xTitle, yTitle] = layout!.axisTitles;
    expect(xTitle.y).toBeGreaterThan(frame.top + frame.height); // below the plot
    expect(yTitle.x).toBeLessThan(frame.left); // left of it
    for (const t of layout!.axisTitles) {
      const px = await canvasPixels({ x: t.x - 7, y: t.y - 7, width: 14, height: 14 });
      expect(
        px.rgb.filter((c) => c[0] + c[1] + c[2] < 360).length,
        `ink of the axis title ${t.text}`,
      ).toBeGreaterThan(3);
    }
    expect(await page.locator('#sine-canvas').getAttribute('aria-label')).toMatch(
      /true curve.*prediction.*support points/,
    );
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

const circle = (cx: number, cy: number, r: number): [number, number][] =>
  Array.from({ length: 25 }, (_, i) => [
    cx + r * Math.cos((i / 24) * 2 * Math.PI),
    cy + r * Math.sin((i / 24) * 2 * Math.PI),
  ]);
const SHAPES: [number, number][][][] = [
  [
    [
      [0.5, 0.15],
      [0.5, 0.85],
    ],
    [
      [0.45, 0.2],
      [0.47, 0.8],
    ],
  ], // class 1: vertical bars
  [
    [
      [0.15, 0.5],
      [0.85, 0.5],
    ],
    [
      [0.2, 0.45],
      [0.8, 0.48],
    ],
  ], // class 2: horizontal bars
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
    expect(
      await page.evaluate(() => (window.__hypermeta.fewshot as { examples: number[] }).examples),
    ).toEqual([2, 2, 2]);
    expect(await page.locator('.class-row canvas').count()).toBe(6);
    await stroke([
      [0.55, 0.2],
      [0.53, 0.8],
    ]); // a query: another vertical bar
    await page.click('#classify');
    await page.waitForSelector('#scores[data-predicted]:not([data-predicted=""])');
    const r = await page.evaluate(
      () =>
        window.__hypermeta.fewshot as {
          trained: boolean;
          result: { scores: number[]; predicted: number; ms: number };
        },
    );
    expect(r.result.scores).toHaveLength(3);
    expect(r.result.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(r.result.predicted).toBe(r.result.scores.indexOf(Math.max(...r.result.scores)));
    expect(await page.locator('.score-row').count()).toBe(3);
    console.log(
      `fewshot (${r.trained ? 'trained checkpoint' : 'untrained protonet'}): scores ${r.result.scores.map((p) => p.toFixed(3)).join(', ')}, ${r.result.ms.toFixed(1)} ms`,
    );
    if (r.trained) expect(r.result.predicted).toBe(0); // a trained model must match the bar to the bars
  });

  it('keeps the examples of the remaining classes when the number of classes changes', async () => {
    const examples = () =>
      page.evaluate(() => (window.__hypermeta.fewshot as { examples: number[] }).examples);
    await page.selectOption('#ways', '2');
    expect(await examples()).toEqual([2, 2]);
    expect(await page.locator('.class-row').count()).toBe(2);
    expect(await page.locator('.class-row canvas').count()).toBe(4);
    expect(await page.locator('.score-row').count()).toBe(0); // the old result was for three classes
    await page.selectOption('#ways', '5');
    expect(await examples()).toEqual([2, 2, 0, 0, 0]);
    expect(await page.locator('.class-row').count()).toBe(5);
    await page.selectOption('#ways', '3');
    expect(await examples()).toEqual([2, 2, 0]);
    // the kept examples still classify: fill the third class again and ask
    await page.click('#pad-clear'); // the last query is still on the pad
    for (const ex of SHAPES[2]) {
      await stroke(ex);
      await page.click('#add-class-3');
    }
    expect(await examples()).toEqual([2, 2, 2]);
    await stroke([
      [0.55, 0.2],
      [0.53, 0.8],
    ]);
    await page.click('#classify');
    await page.waitForSelector('#scores[data-predicted]:not([data-predicted=""])');
    expect(await page.locator('.score-row').count()).toBe(3);
  });
});

describe('layout on a 1280×800 window', () => {
  it('shows every control of both panels on one line each, without scrolling', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    ); // laid out and redrawn
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/web-demo-1280x800.png` });
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('.panel')].map((panel) => ({
        panel: panel.id,
        rows: [...panel.querySelectorAll('.controls')].map((row) =>
          [...row.children].map((el) => {
            const r = el.getBoundingClientRect();
            return {
              text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30),
              top: r.top,
              bottom: r.bottom,
              left: r.left,
              right: r.right,
              height: r.height,
            };
          }),
        ),
      })),
    );
    expect(rows.map((p) => p.panel)).toEqual(['sinusoid', 'fewshot']);
    for (const p of rows) {
      expect(p.rows.length, p.panel).toBeGreaterThan(0);
      const items = p.rows.flat();
      // the buttons, the class selector and the readout of a panel share one line
      expect(items.map((c) => c.text).join(' | ')).toMatch(
        p.panel === 'sinusoid'
          ? /New random task \| Clear points \| \d+ points · adapted/
          : /Classes.*\| Clear pad \| Classify as query/,
      );
      expect(p.rows).toHaveLength(1);
      const mid = (c: { top: number; bottom: number }) => (c.top + c.bottom) / 2;
      for (const c of items) {
        expect(Math.abs(mid(c) - mid(items[0])), `${p.panel}: ${c.text}`).toBeLessThan(3);
        expect(c.height, `${p.panel}: ${c.text} on one line`).toBeLessThan(36);
        // on screen in a 1280×800 window, with no scrolling
        expect(c.bottom, `${p.panel}: ${c.text}`).toBeLessThanOrEqual(800);
        expect(c.right, `${p.panel}: ${c.text}`).toBeLessThanOrEqual(1280);
      }
    }
    // the readout shows in full
    expect(await page.locator('#sine-readout').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });
});
