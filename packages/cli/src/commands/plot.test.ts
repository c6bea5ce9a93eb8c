import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { learningCurvesSpec } from '../plot/learning-curves.js';
import { renderSvg } from '../plot/figure-file.js';
import { parseMetrics } from '../plot/run-metrics.js';

// Runs the built binary, as a user would (npm test builds it first).
const BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

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
    expect(m.train).toEqual([{ step: 50, loss: 2 }]);
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
    const text = [1, 2, 3].flatMap((i) => [line({ step: i * 100, loss: 1 / i }), line({ step: i * 100, evalAccuracy5Way1Shot: 0.2 * i, evalCi95: 0.01 })]);
    const s = summarize(await renderSvg(learningCurvesSpec(parseMetrics(text.join('\n'), 'm'), 'r')));
    expect(s.marks).toEqual({ line: 2, area: 1, symbol: 1 });
    expect(s.symbols).toEqual([3]);
    expect(s.texts).toEqual(expect.arrayContaining(['meta-training loss', 'held-out accuracy, 5-way 1-shot', 'meta-training step', 'loss']));
  });
});

describe('hypermeta plot, end to end', () => {
  const run = join(tmp, 'run');

  it('plots learning curves and a 5-shot adaptation figure of a sinusoid run, as SVG and PNG', () => {
    const t = cli('train', '--steps', '200', '--meta-batch', '8', '--seed', '3', '--out', run, '--checkpoint-every', '100', '--log-every', '20');
    expect(t.code).toBe(0);
    const r = cli('plot', '--run', run, '--out', join(tmp, 'curves.svg'), '--tasks', '4');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${join(tmp, 'curves.svg')}\nwrote ${join(tmp, 'curves-adapt.svg')}\n`);

    const curves = summarize(readFileSync(join(tmp, 'curves.svg'), 'utf8'));
    expect(curves.marks).toEqual({ line: 2, area: 1, symbol: 1 }); // loss; eval MSE with its CI band and points
    expect(curves.symbols).toEqual([2]); // evals at steps 100 and 200
    expect(curves.texts).toEqual(expect.arrayContaining(['meta-training loss', 'held-out MSE, 5-shot', 'meta-training step', 'loss']));

    const adapt = summarize(readFileSync(join(tmp, 'curves-adapt.svg'), 'utf8'));
    expect(adapt.marks).toEqual({ line: 8, symbol: 4 }); // true and predicted curve per task
    expect(adapt.symbols).toEqual([5, 5, 5, 5]); // 5 support points per task
    expect(adapt.texts).toEqual(expect.arrayContaining(['true', 'predicted', 'support points', 'x', 'y']));
    expect(adapt.texts.filter((t) => /^task \d: A=[\d.]+, φ=[\d.]+$/.test(t))).toHaveLength(4);

    const p = cli('plot', '--run', run, '--out', join(tmp, 'curves.png'));
    expect(p.code).toBe(0);
    // PNGs are the SVGs rasterized at 2×
    expect(pngSize(readFileSync(join(tmp, 'curves.png')))).toEqual({ width: 2 * curves.width, height: 2 * curves.height });
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
