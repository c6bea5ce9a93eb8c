import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, InvalidArgumentError } from '@hypermeta/core';
import {
  controlLabels,
  type ControlResult,
  readControlResults,
  returnPoints,
  tracePoints,
} from './dynamics-control-results.js';
import { recoverySpec, returnsSpec } from './dynamics-figures.js';
import { renderSvg } from './figure-file.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-dyn-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A control --json row of 8 steps at 0.1 s, the change at step 4. */
function row(method: string, rewardTrace: number[], extra: object = {}): object {
  return {
    task: 'swingup',
    env: 'pendulum',
    method,
    steps: 8,
    change: { kind: 'mass', body: 0, factor: 2 },
    changeAtSeconds: 0.4,
    dt: 0.1,
    episodes: 3,
    return: 6,
    ci95: 1.5,
    returnAfterChange: 2,
    returnAfterChangeCi95: 0.5,
    recoverySeconds: 0.2,
    recovered: 2,
    recoveryEpisodes: 3,
    rewardTrace,
    ...extra,
  };
}

function write(name: string, ...rows: object[]): string {
  const path = join(tmp, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

const trace = [1, 1, 1, 1, 0, 0.5, 1, 1];

describe('control results for the figures', () => {
  it('reads every row of every file, and names the ceiling and repeated methods apart', () => {
    const a = write('a.jsonl', row('hypernet', trace), row('simulator', trace));
    const b = write('b.jsonl', row('hypernet', trace));
    const rows = readControlResults([a, b]);
    expect(rows.map((r) => r.from)).toEqual([`${a}:1`, `${a}:2`, `${b}:1`]);
    expect(controlLabels(rows)).toEqual([
      'hypernet (a.jsonl)',
      'true simulator (ceiling)',
      'hypernet (b.jsonl)',
    ]);
    expect(controlLabels(readControlResults([b, b]))).toEqual([
      'hypernet (b.jsonl) #1',
      'hypernet (b.jsonl) #2',
    ]);
  });

  it('gives each model its return and return after the change with their 95 % intervals', () => {
    const rows = readControlResults([write('c.jsonl', row('global', trace, { return: 10, ci95: 4 }))]);
    expect(returnPoints(rows)).toEqual([
      { model: 'global', measure: 'whole episode', value: 10, lo: 6, hi: 14 },
      { model: 'global', measure: 'after the change', value: 2, lo: 1.5, hi: 2.5 },
    ]);
  });

  it('smooths each reward trace with the 0.5 s average starting at each step, at its start time', () => {
    const rows = readControlResults([
      write(
        'd.jsonl',
        row('hypernet', trace),
        row(
          'global',
          trace.map((v) => v / 2),
        ),
      ),
    ]);
    // 0.5 s at 0.1 s steps: 5-step windows, 8 − 5 + 1 = 4 averages per model.
    const t = tracePoints(rows);
    expect(t.changeAtSeconds).toBe(0.4);
    expect(t.labels[0]).toBe('hypernet: recovery 0.20 s, 2/3 back');
    const hyper = t.points.filter((p) => p.model === t.labels[0]);
    expect(hyper.map((p) => p.seconds)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(hyper.map((p) => p.reward)).toEqual([0.8, 0.7, 0.7, 0.7].map((v) => expect.closeTo(v, 12)));
    const global = t.points.filter((p) => p.model === t.labels[1]);
    expect(global.map((p) => p.reward)).toEqual([0.4, 0.35, 0.35, 0.35].map((v) => expect.closeTo(v, 12)));
    expect(t.setting).toBe('pendulum swingup, 8 steps, body 0 mass ×2 at 0.4 s');
  });

  it('draws both figures with every model named and the change marked', async () => {
    const rows = readControlResults([write('e.jsonl', row('hypernet', trace), row('simulator', trace))]);
    const returns = await renderSvg(returnsSpec(returnPoints(rows), 'returns'));
    for (const text of ['hypernet', 'true simulator (ceiling)', 'whole episode', 'after the change'])
      expect(returns).toContain(text);
    const t = tracePoints(rows);
    const recovery = await renderSvg(recoverySpec(t.points, t.labels, t.changeAtSeconds, 'recovery'));
    expect(recovery).toContain('change at 0.4 s');
    expect(recovery).toContain('hypernet: recovery 0.20 s, 2/3 back');
  });

  it('refuses unreadable, empty, non-JSON and foreign files, mixed runs and rows without a trace', () => {
    const fails = (
      paths: string[],
      type: typeof DataError | typeof InvalidArgumentError,
      pattern: RegExp,
    ) => {
      const call = () => tracePoints(readControlResults(paths));
      expect(call).toThrow(type);
      expect(call).toThrow(pattern);
    };
    fails([join(tmp, 'none.jsonl')], DataError, /none.jsonl: cannot read \(ENOENT\)$/);
    fails([write('empty.jsonl')], DataError, /empty.jsonl: holds no control result$/);
    writeFileSync(join(tmp, 'text.jsonl'), 'hello\n');
    fails([join(tmp, 'text.jsonl')], DataError, /text.jsonl:1: not JSON/);
    fails(
      [write('eval.jsonl', { task: 'dynamics', oneStepNmse: 0.1 })],
      DataError,
      /eval.jsonl:1: not a hypermeta control/,
    );
    const other = write('other.jsonl', row('global', trace, { steps: 9 }));
    fails(
      [write('f.jsonl', row('hypernet', trace)), other],
      InvalidArgumentError,
      /other.jsonl:1 is of another run/,
    );
    const { rewardTrace: _, ...old } = row('hypernet', trace) as ControlResult;
    fails([write('old.jsonl', old)], DataError, /old.jsonl:1: holds no reward trace/);
  });
});
