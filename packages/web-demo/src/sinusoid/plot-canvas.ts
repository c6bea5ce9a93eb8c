import { SINUSOID } from '@hypermeta/core';
import type { Point } from './adapt.js';

/** The plot area in CSS pixels of the canvas, and its data ranges (exposed to the e2e test). */
export interface PlotFrame {
  left: number;
  top: number;
  width: number;
  height: number;
  x: readonly [number, number];
  y: readonly [number, number];
}

export interface Curves {
  grid: readonly number[];
  truth?: ArrayLike<number>;
  predicted?: ArrayLike<number>;
  points: readonly Point[];
}

const Y_RANGE = [-6, 6] as const; // amplitudes reach 5; a little headroom for overshoot

export function plotFrame(canvas: HTMLCanvasElement): PlotFrame {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  return { left: 40, top: 12, width: w - 52, height: h - 40, x: SINUSOID.x, y: Y_RANGE };
}

export const toPixel = (f: PlotFrame, p: Point) => ({
  px: f.left + ((p.x - f.x[0]) / (f.x[1] - f.x[0])) * f.width,
  py: f.top + ((f.y[1] - p.y) / (f.y[1] - f.y[0])) * f.height,
});

export const toData = (f: PlotFrame, px: number, py: number): Point => ({
  x: f.x[0] + ((px - f.left) / f.width) * (f.x[1] - f.x[0]),
  y: f.y[1] - ((py - f.top) / f.height) * (f.y[1] - f.y[0]),
});

function axes(ctx: CanvasRenderingContext2D, f: PlotFrame): void {
  ctx.strokeStyle = '#e3e3e3';
  ctx.fillStyle = '#555';
  ctx.font = '11px sans-serif';
  ctx.lineWidth = 1;
  for (let x = f.x[0]; x <= f.x[1]; x++) {
    const { px } = toPixel(f, { x, y: 0 });
    ctx.beginPath(); ctx.moveTo(px, f.top); ctx.lineTo(px, f.top + f.height); ctx.stroke();
    ctx.fillText(String(x), px - 4, f.top + f.height + 14);
  }
  for (let y = f.y[0]; y <= f.y[1]; y += 2) {
    const { py } = toPixel(f, { x: 0, y });
    ctx.beginPath(); ctx.moveTo(f.left, py); ctx.lineTo(f.left + f.width, py); ctx.stroke();
    ctx.fillText(String(y), f.left - 22, py + 4);
  }
}

function curve(ctx: CanvasRenderingContext2D, f: PlotFrame, xs: readonly number[], ys: ArrayLike<number>, style: string, dash: number[]): void {
  ctx.strokeStyle = style;
  ctx.lineWidth = 2.5;
  ctx.setLineDash(dash);
  ctx.beginPath();
  xs.forEach((x, i) => {
    const { px, py } = toPixel(f, { x, y: ys[i] });
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
  ctx.setLineDash([]);
}

/** Draws axes, the true curve (dashed), the prediction and the support points; sharp on HiDPI. */
export function drawPlot(canvas: HTMLCanvasElement, c: Curves): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(canvas.clientWidth * dpr);
  canvas.height = Math.round(canvas.clientHeight * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  const f = plotFrame(canvas);
  axes(ctx, f);
  if (c.truth) curve(ctx, f, c.grid, c.truth, '#888', [7, 5]);
  if (c.predicted) curve(ctx, f, c.grid, c.predicted, '#1f77b4', []);
  ctx.fillStyle = '#d62728';
  for (const p of c.points) {
    const { px, py } = toPixel(f, p);
    ctx.beginPath(); ctx.arc(px, py, 5, 0, 2 * Math.PI); ctx.fill();
  }
}
