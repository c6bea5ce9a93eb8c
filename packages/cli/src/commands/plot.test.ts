import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as cliIn, type CliResult } from '../reliability/harness.js';
import { allFamilies } from '@hypermeta/core';
import { adaptationSpec, type AdaptedTask } from '../families/sinusoid/adaptation-figure.js';
import { learningCurvesSpec, metricTitle, metricTitles } from '../plot/learning-curves.js';
import { renderSvg } from '../plot/figure-file.js';
import { parseMetrics } from '../plot/run-metrics.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]): CliResult => cliIn(tmp, ...args);

/** Mark groups by type (one per series per panel), symbols per group, and every text in a Vega SVG. */
function summarize(svg: string) {
  const marks: Record<string, number> = {};
  const symbols: number[] = [];
  for (const m of svg.matchAll(/<g class="mark-([a-z]+) role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    marks[m[1]] = (marks[m[1]] ?? 0) + 1;
    if (m[1] === 'symbol') symbols.push((m[2].match(/<path/g) ?? []).length);
  }
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  const size = /^<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"/.exec(svg);
  return { marks, symbols, texts, width: Number(size?.[1]), height: Number(size?.[2]) };
}

/** Each axis of a Vega SVG: its orientation, title and tick labels, in drawing order. */
function axes(svg: string): { axis: 'X' | 'Y'; title: string; labels: string[] }[] {
  return [
    ...svg.matchAll(/aria-label="(X|Y)-axis titled '([^']*)'[^"]*">.*?role-axis-label"[^>]*>(.*?)<\/g>/gs),
  ].map((m) => ({
    axis: m[1] as 'X' | 'Y',
    title: m[2],
    labels: [...m[3].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]),
  }));
}

/** What a legend symbol looks like, from its SVG path: the mark it stands for. */
function symbolKind(d: string, dashed: boolean): string {
  if (/^M-?[\d.]+,-?[\d.]+h[\d.]+v[\d.]+h-?[\d.]+Z$/.test(d)) return 'band';
  if (/^M-[\d.]+,0L[\d.]+,0$/.test(d)) return dashed ? 'dashed line' : 'line';
  if (/^M-[\d.]+,0L[\d.]+,0M.*[AC]/.test(d)) return 'line with points';
  if (/^M0,-[\d.]+L0,[\d.]+M/.test(d)) return 'error bar';
  if (/^M[\d.]+,0[AC]/.test(d)) return 'point';
  return `unknown (${d})`;
}

/** Legend entries of a Vega SVG: label and the kind of symbol drawn beside it. */
function legend(svg: string): { label: string; symbol: string }[] {
  return [
    ...svg.matchAll(
      /role-legend-symbol"[^>]*><path[^>]*\bd="([^"]*)"([^>]*)\/>.*?role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/gs,
    ),
  ].map((m) => ({
    label: m[3],
    symbol: symbolKind(m[1], /stroke-dasharray="\d/.test(m[2])),
  }));
}

const isInteger = (label: string) => /^-?\d[\d,]*$/.test(label);

/** PNG signature and the IHDR chunk's width and height. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const line = (o: object) => JSON.stringify(o);

describe('metrics.jsonl parsing', () => {
  it('reads loss lines and any numeric eval field, with its CI', () => {
    const m = parseMetrics(
      [
        line({ step: 50, loss: 2, lr: 1e-3, gradNorm: 1, seconds: 1 }),
        line({ step: 100, evalMse5Shot: 1.5, evalCi95: 0.2 }),
        line({ step: 100, evalAccuracy5Way1Shot: 0.6, evalAccuracy5Way1ShotCi95: 0.05, evalMse5Shot: 1.2 }),
        '',
      ].join('\n'),
      'm',
    );
    expect(m.train).toEqual([{ step: 50, loss: 2, lr: 1e-3, gradNorm: 1 }]);
    expect(m.metrics).toEqual(['evalMse5Shot', 'evalAccuracy5Way1Shot']);
    // evalCi95 belongs to the only metric of its line; with two metrics only <name>Ci95 counts
    expect(m.evals).toEqual([
      { step: 100, metric: 'evalMse5Shot', value: 1.5, ci95: 0.2 },
      { step: 100, metric: 'evalAccuracy5Way1Shot', value: 0.6, ci95: 0.05 },
      { step: 100, metric: 'evalMse5Shot', value: 1.2 },
    ]);
  });

  it('rejects malformed and empty logs with the line number', () => {
    expect(() => parseMetrics('{"step":1,"loss":1}\n{oops', 'm')).toThrow(/^m:2: not a JSON line$/);
    expect(() => parseMetrics('[1]', 'm')).toThrow(/m:1: expected a JSON object/);
    expect(() => parseMetrics('{"loss":1}', 'm')).toThrow(/m:1: no numeric "step"/);
    expect(() => parseMetrics('\n\n', 'm')).toThrow(/holds no loss or eval values/);
  });

  it('draws one line per series: the loss and each eval metric in its own panel', async () => {
    const text = [1, 2, 3].flatMap((i) => [
      line({ step: i * 100, loss: 1 / i }),
      line({ step: i * 100, evalAccuracy5Way1Shot: 0.2 * i, evalCi95: 0.01 }),
    ]);
    const s = summarize(await renderSvg(learningCurvesSpec(parseMetrics(text.join('\n'), 'm'), 'r')));
    expect(s.marks).toEqual({ line: 2, area: 1, symbol: 1 });
    expect(s.symbols).toEqual([3]);
    expect(s.texts).toEqual(
      expect.arrayContaining([
        'meta-training loss',
        'held-out accuracy, 5-way 1-shot',
        'meta-training step',
        'loss',
      ]),
    );
  });
});

describe('learning curves: titles, ticks, legends, confidence bands', () => {
  const curves = async (lines: object[]) => {
    const svg = await renderSvg(learningCurvesSpec(parseMetrics(lines.map(line).join('\n'), 'm'), 'r'));
    return { svg, ...summarize(svg), axes: axes(svg), legend: legend(svg) };
  };

  it("names every field from one table: loss, learning rate, gradient norm and each family's eval", async () => {
    const table = metricTitles();
    expect(table.loss.title).toBe('meta-training loss');
    expect(table.lr.title).toBe('learning rate');
    expect(table.gradNorm.title).toBe('gradient norm (before clipping)');
    for (const p of allFamilies().map((f) => f.periodicEval())) expect(metricTitle(p.key)).toBe(p.title);
    // a field no family registers (an old run's) reads as words, never as its key
    expect(metricTitle('evalMseLines2Shot')).toBe('held-out mse lines 2 shot');

    const s = await curves(
      [1, 2, 3].flatMap((i) => [
        { step: i * 10, loss: 3 / i, lr: 1e-3 * i, gradNorm: 5 / i },
        { step: i * 10, evalMse5Shot: 2 / i, evalCi95: 0.1, evalMseLines2Shot: 1 / i },
      ]),
    );
    expect(s.texts).toEqual(
      expect.arrayContaining([
        'meta-training loss',
        'held-out MSE, 5-shot',
        'held-out mse lines 2 shot',
        'gradient norm (before clipping)',
        'learning rate',
      ]),
    );
    const raw = [
      'loss',
      'lr',
      'gradNorm',
      'step',
      'value',
      'lo',
      'hi',
      'evalMse5Shot',
      'evalMseLines2Shot',
      'evalCi95',
    ];
    // 'loss' is the loss axis's title; no other text is a field name
    expect(s.texts.filter((t) => raw.includes(t))).toEqual(['loss']);
    expect(s.axes.map((a) => a.title)).toEqual([
      'meta-training step',
      'loss',
      'meta-training step',
      'held-out MSE, 5-shot',
      'meta-training step',
      'held-out mse lines 2 shot',
      'meta-training step',
      'gradient norm',
      'meta-training step',
      'learning rate',
    ]);
  });

  it('leaves out the learning rate when it never changes', async () => {
    const s = await curves([1, 2, 3].map((i) => ({ step: i, loss: 1 / i, lr: 1e-3, gradNorm: 1 })));
    expect(s.texts).not.toContain('learning rate');
    expect(s.texts).toContain('gradient norm (before clipping)');
  });

  it('ticks whole steps only', async () => {
    const s = await curves(
      [1, 2, 3].flatMap((i) => [
        { step: i, loss: 1 / i },
        { step: i, evalMse5Shot: 1 / i, evalCi95: 0.1 },
      ]),
    );
    const steps = s.axes.filter((a) => a.axis === 'X');
    expect(steps).toHaveLength(2);
    for (const a of steps) expect(a.labels).toEqual(['1', '2', '3']);
  });

  it('draws a single checkpoint as a point on a whole-step axis from 0', async () => {
    const s = await curves([
      { step: 10, loss: 4.5, lr: 1e-3, gradNorm: 30 },
      { step: 10, evalMse5Shot: 3.2, evalCi95: 0.4 },
    ]);
    for (const a of s.axes.filter((a) => a.axis === 'X')) {
      expect(a.labels.every(isInteger), a.labels.join(' ')).toBe(true);
      expect(a.labels[0]).toBe('0');
      expect(a.labels.at(-1)).toBe('10');
    }
    // every series shows: a point each (a line through one point draws nothing), the CI as an error bar (a rule, two end ticks)
    expect(s.marks).toEqual({ symbol: 3, rule: 1, rect: 2 });
    expect(s.legend).toEqual([
      { label: '95 % CI', symbol: 'error bar' },
      { label: 'mean', symbol: 'point' },
    ]);
  });

  it('legends draw the marks they name: a band for the CI, a line with points for the mean', async () => {
    const s = await curves([1, 2, 3].map((i) => ({ step: i * 10, evalMse5Shot: 1 / i, evalCi95: 0.1 })));
    expect(s.marks).toEqual({ area: 1, line: 1, symbol: 1 });
    expect(s.legend).toEqual([
      { label: '95 % CI', symbol: 'band' },
      { label: 'mean', symbol: 'line with points' },
    ]);
  });

  it('draws no band, and no legend, where the evaluation had one task (ci95 0) or logged none', async () => {
    for (const ci of [{ evalCi95: 0 }, {}]) {
      const s = await curves([1, 2, 3].map((i) => ({ step: i * 10, evalMse5Shot: 1 / i, ...ci })));
      expect(s.marks, JSON.stringify(ci)).toEqual({ line: 1, symbol: 1 });
      expect(s.legend).toEqual([]);
    }
    const one = await curves([{ step: 10, evalAccuracy5Way1Shot: 0.4, evalCi95: 0 }]);
    expect(one.marks).toEqual({ symbol: 1 });
  });
});

describe('sinusoid adaptation figure', () => {
  const task = (amplitude: number, phase: number): AdaptedTask => ({
    task: { amplitude, phase },
    support: [-3, 0, 3].map((x) => ({ x, y: amplitude * Math.sin(x - phase) })),
    curve: [-5, -2.5, 0, 2.5, 5].map((x) => ({
      x,
      truth: amplitude * Math.sin(x - phase),
      predicted: 0.9 * amplitude * Math.sin(x - phase),
    })),
  });

  it('has one legend whose symbols are the marks: dashed true curve, solid prediction, dots', async () => {
    const svg = await renderSvg(adaptationSpec([task(1, 0), task(2, 1)], 't'));
    expect(legend(svg)).toEqual([
      { label: 'true curve', symbol: 'dashed line' },
      { label: 'predicted curve', symbol: 'line' },
      { label: 'support points', symbol: 'point' },
    ]);
    const s = summarize(svg);
    expect(s.marks).toEqual({ line: 4, symbol: 2 });
    expect(s.symbols).toEqual([3, 3]);
  });
});

describe('hypermeta plot, end to end', () => {
  const run = join(tmp, 'run');

  it('plots learning curves and a 5-shot adaptation figure of a sinusoid run, as SVG and PNG', () => {
    const t = cli(
      'train',
      '--steps',
      '200',
      '--meta-batch',
      '8',
      '--seed',
      '3',
      '--out',
      run,
      '--checkpoint-every',
      '100',
      '--log-every',
      '20',
    );
    expect(t.code).toBe(0);
    const r = cli('plot', '--run', run, '--out', join(tmp, 'curves.svg'), '--tasks', '4');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${join(tmp, 'curves.svg')}\nwrote ${join(tmp, 'curves-adapt.svg')}\n`);

    const curves = summarize(readFileSync(join(tmp, 'curves.svg'), 'utf8'));
    expect(curves.marks).toEqual({ line: 4, area: 1, symbol: 1 }); // loss; eval MSE with its CI band and points; gradient norm; learning rate
    expect(curves.symbols).toEqual([2]); // evals at steps 100 and 200
    expect(curves.texts).toEqual(
      expect.arrayContaining([
        'meta-training loss',
        'held-out MSE, 5-shot',
        'meta-training step',
        'loss',
        'gradient norm (before clipping)',
        'learning rate',
      ]),
    );
    const curvesSvg = readFileSync(join(tmp, 'curves.svg'), 'utf8');
    for (const a of axes(curvesSvg).filter((a) => a.axis === 'X'))
      expect(a.labels.every(isInteger), a.labels.join(' ')).toBe(true);
    expect(legend(curvesSvg)).toEqual([
      { label: '95 % CI', symbol: 'band' },
      { label: 'mean', symbol: 'line with points' },
    ]);

    const adapt = summarize(readFileSync(join(tmp, 'curves-adapt.svg'), 'utf8'));
    expect(adapt.marks).toEqual({ line: 8, symbol: 4 }); // true and predicted curve per task
    expect(adapt.symbols).toEqual([5, 5, 5, 5]); // 5 support points per task
    expect(adapt.texts).toEqual(
      expect.arrayContaining(['true curve', 'predicted curve', 'support points', 'x', 'y']),
    );
    expect(legend(readFileSync(join(tmp, 'curves-adapt.svg'), 'utf8')).map((e) => e.symbol)).toEqual([
      'dashed line',
      'line',
      'point',
    ]);
    expect(adapt.texts.filter((t) => /^task \d: A=[\d.]+, φ=[\d.]+$/.test(t))).toHaveLength(4);

    const p = cli('plot', '--run', run, '--out', join(tmp, 'curves.png'));
    expect(p.code).toBe(0);
    // PNGs are the SVGs rasterized at 2×
    expect(pngSize(readFileSync(join(tmp, 'curves.png')))).toEqual({
      width: 2 * curves.width,
      height: 2 * curves.height,
    });
    const a = pngSize(readFileSync(join(tmp, 'curves-adapt.png')));
    expect(a.width).toBeGreaterThan(2 * 3 * 260); // three or more 260-pixel panels side by side
  });

  it('turns bad input into one line and exit code 2', () => {
    mkdirSync(join(tmp, 'empty'));
    writeFileSync(join(tmp, 'empty', 'metrics.jsonl'), '');
    mkdirSync(join(tmp, 'bad'));
    writeFileSync(join(tmp, 'bad', 'metrics.jsonl'), '{"step":1,"loss":1}\nnot json\n');
    const cases: [string[], RegExp][] = [
      [['--run', join(tmp, 'nope'), '--out', 'a.svg'], /nope: no such run folder$/],
      [['--run', tmp, '--out', 'a.svg'], /metrics.jsonl: missing/],
      [['--run', join(tmp, 'empty'), '--out', 'a.svg'], /holds no loss or eval values$/],
      [['--run', join(tmp, 'bad'), '--out', 'a.svg'], /metrics.jsonl:2: not a JSON line$/],
      [['--run', run, '--out', 'a.pdf'], /unknown image type '.pdf' \(expected .svg or .png\)$/],
      [['--run', run, '--out', join(tmp, 'no', 'dir', 'a.svg')], /cannot write \(ENOENT\)$/],
    ];
    for (const [args, pattern] of cases) {
      const r = cli('plot', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err.trim()).toMatch(pattern);
    }
  });
});
