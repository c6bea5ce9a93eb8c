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

/** How each series is drawn; the legend draws its symbol the same way. */
export const SERIES = [
  { label: 'true curve', kind: 'dashed line', color: '#888888' },
  { label: 'prediction', kind: 'line', color: '#1f77b4' },
  { label: 'support points', kind: 'point', color: '#d62728' },
] as const;
const [TRUTH, PREDICTION, SUPPORT] = SERIES;
const DASH = [7, 5];
const LINE_WIDTH = 2.5;
const POINT_RADIUS = 5;

/** What drawPlot drew besides the data, in CSS pixels of the canvas (exposed to the e2e test). */
export interface PlotLayout {
  /** One entry per series: its label and the box its symbol is drawn in. */
  legend: {
    label: string;
    kind: string;
    color: string;
    box: { x: number; y: number; width: number; height: number };
  }[];
  /** Axis titles and where their text is centred. */
  axisTitles: { text: string; x: number; y: number }[];
}

const Y_RANGE = [-6, 6] as const; // amplitudes reach 5; a little headroom for overshoot
// Margins: the legend above the plot, tick labels and the y title on the left, tick labels and the x title below.
const MARGIN = { left: 52, right: 14, top: 30, bottom: 42 };
const FONT = '12px system-ui, sans-serif';

export function plotFrame(canvas: HTMLCanvasElement): PlotFrame {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  return {
    left: MARGIN.left,
    top: MARGIN.top,
    width: w - MARGIN.left - MARGIN.right,
    height: h - MARGIN.top - MARGIN.bottom,
    x: SINUSOID.x,
    y: Y_RANGE,
  };
}

/** Whether a point in CSS pixels of the canvas lies in the plot area (edges included). */
export const insideFrame = (f: PlotFrame, px: number, py: number): boolean =>
  px >= f.left && px <= f.left + f.width && py >= f.top && py <= f.top + f.height;

export const toPixel = (f: PlotFrame, p: Point) => ({
  px: f.left + ((p.x - f.x[0]) / (f.x[1] - f.x[0])) * f.width,
  py: f.top + ((f.y[1] - p.y) / (f.y[1] - f.y[0])) * f.height,
});

export const toData = (f: PlotFrame, px: number, py: number): Point => ({
  x: f.x[0] + ((px - f.left) / f.width) * (f.x[1] - f.x[0]),
  y: f.y[1] - ((py - f.top) / f.height) * (f.y[1] - f.y[0]),
});

/** Grid, tick labels and the axis titles x and y. */
function axes(ctx: CanvasRenderingContext2D, f: PlotFrame): PlotLayout['axisTitles'] {
  ctx.strokeStyle = '#e3e3e3';
  ctx.fillStyle = '#555';
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  for (let x = f.x[0]; x <= f.x[1]; x++) {
    const { px } = toPixel(f, { x, y: 0 });
    ctx.beginPath();
    ctx.moveTo(px, f.top);
    ctx.lineTo(px, f.top + f.height);
    ctx.stroke();
    ctx.fillText(String(x), px, f.top + f.height + 10);
  }
  ctx.textAlign = 'right';
  for (let y = f.y[0]; y <= f.y[1]; y += 2) {
    const { py } = toPixel(f, { x: 0, y });
    ctx.beginPath();
    ctx.moveTo(f.left, py);
    ctx.lineTo(f.left + f.width, py);
    ctx.stroke();
    ctx.fillText(String(y), f.left - 6, py);
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(f.left, f.top, f.width, f.height);
  const titles = [
    { text: 'x', x: f.left + f.width / 2, y: f.top + f.height + 29 },
    { text: 'y', x: 12, y: f.top + f.height / 2 },
  ];
  ctx.fillStyle = '#222';
  ctx.font = `italic bold ${FONT}`;
  ctx.textAlign = 'center';
  for (const t of titles) ctx.fillText(t.text, t.x, t.y);
  return titles;
}

function curve(
  ctx: CanvasRenderingContext2D,
  f: PlotFrame,
  xs: readonly number[],
  ys: ArrayLike<number>,
  color: string,
  dash: number[],
): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = LINE_WIDTH;
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

function dot(ctx: CanvasRenderingContext2D, px: number, py: number, color: string): void {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(px, py, POINT_RADIUS, 0, 2 * Math.PI);
  ctx.fill();
}

/** The legend above the plot area: each symbol drawn as its series is (dashed line, line, dot). */
function legend(ctx: CanvasRenderingContext2D, f: PlotFrame): PlotLayout['legend'] {
  const [symbolWidth, y] = [28, f.top / 2];
  let x = f.left;
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  return SERIES.map((s) => {
    const box = { x, y: y - 6, width: symbolWidth, height: 12 };
    if (s.kind === 'point') dot(ctx, x + symbolWidth / 2, y, s.color);
    else {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = LINE_WIDTH;
      ctx.setLineDash(s.kind === 'dashed line' ? DASH : []);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + symbolWidth, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#333';
    ctx.fillText(s.label, x + symbolWidth + 6, y);
    x += symbolWidth + 6 + ctx.measureText(s.label).width + 20;
    return { label: s.label, kind: s.kind, color: s.color, box };
  });
}

/** Draws axes, the legend, the true curve (dashed), the prediction and the support points; sharp on HiDPI. */
export function drawPlot(canvas: HTMLCanvasElement, c: Curves): PlotLayout {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(canvas.clientWidth * dpr);
  canvas.height = Math.round(canvas.clientHeight * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  const f = plotFrame(canvas);
  const axisTitles = axes(ctx, f);
  const legendEntries = legend(ctx, f);
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.width, f.height);
  ctx.clip(); // an overshooting prediction stays off the legend
  if (c.truth) curve(ctx, f, c.grid, c.truth, TRUTH.color, DASH);
  if (c.predicted) curve(ctx, f, c.grid, c.predicted, PREDICTION.color, []);
  ctx.restore();
  for (const p of c.points) {
    const { px, py } = toPixel(f, p);
    dot(ctx, px, py, SUPPORT.color);
  }
  return { legend: legendEntries, axisTitles };
}
