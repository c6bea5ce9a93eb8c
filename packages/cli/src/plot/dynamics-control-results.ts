import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  DataError,
  describeDynamicsChange,
  type DynamicsChange,
  forwardMovingAverage,
  InvalidArgumentError,
} from '@hypermeta/core';

/** The fields of a `hypermeta control --json` row the figures read. */
export interface ControlResult {
  /** Where it was read: file and line, for messages. */
  from: string;
  method: string;
  env: string;
  task: string;
  episodes: number;
  steps: number;
  change: { kind: string; body?: number; factor?: number; actuator?: number; strength?: number };
  changeAtSeconds: number;
  return: number;
  ci95: number;
  returnAfterChange: number;
  returnAfterChangeCi95: number;
  recoverySeconds: number | null;
  recovered: number;
  recoveryEpisodes: number;
  /** Only in rows written since control saves it. */
  dt?: number;
  rewardTrace?: number[];
}

const NUMBERS = ['episodes', 'steps', 'changeAtSeconds', 'return', 'ci95', 'returnAfterChange'] as const;

function checkRow(o: unknown, from: string): ControlResult {
  const r = o as Record<string, unknown>;
  const fail = (what: string) => new DataError(`${from}: not a hypermeta control --json row (${what})`);
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw fail('not an object');
  for (const k of ['method', 'env', 'task'] as const) if (typeof r[k] !== 'string') throw fail(`no ${k}`);
  for (const k of NUMBERS) if (typeof r[k] !== 'number') throw fail(`no ${k}`);
  if (typeof r.change !== 'object' || r.change === null) throw fail('no change');
  const trace = r.rewardTrace;
  if (trace !== undefined && (!Array.isArray(trace) || trace.some((v) => typeof v !== 'number')))
    throw fail('rewardTrace is not a list of numbers');
  return { ...(r as unknown as ControlResult), from };
}

/** Reads the rows of saved `hypermeta control --json` outputs (one JSON object per line). */
export function readControlResults(paths: readonly string[]): ControlResult[] {
  const rows: ControlResult[] = [];
  for (const path of paths) {
    const before = rows.length;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new DataError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        throw new DataError(`${path}:${i + 1}: not JSON (expected hypermeta control --json output)`);
      }
      rows.push(checkRow(o, `${path}:${i + 1}`));
    });
    if (rows.length === before) throw new DataError(`${path}: holds no control result`);
  }
  return rows;
}

// Core's wording of a change, so the figures say what `control` said; a row's kind is read from
// a file, so anything but a payload or a motor reads as no change.
const changeText = (c: ControlResult['change']) =>
  c.kind === 'mass' || c.kind === 'motor' ? describeDynamicsChange(c as DynamicsChange) : 'no change';

/** What the rows were run on, in words; every row must share it, or their returns do not compare. */
export function controlSetting(rows: readonly ControlResult[]): string {
  const of = (r: ControlResult) =>
    `${r.env} ${r.task}, ${r.steps} steps, ${changeText(r.change)} at ${r.changeAtSeconds.toFixed(1)} s`;
  const first = of(rows[0]);
  for (const r of rows)
    if (of(r) !== first)
      throw new InvalidArgumentError(
        `${r.from} is of another run (${of(r)}) than ${rows[0].from} (${first})`,
      );
  return first;
}

/** A row's name in figures: the method, the simulator as the ceiling, repeated names told apart by file. */
export function controlLabels(rows: readonly ControlResult[]): string[] {
  const names = rows.map((r) => (r.method === 'simulator' ? 'true simulator (ceiling)' : r.method));
  const byFile = names.map((n, i) =>
    names.indexOf(n) === names.lastIndexOf(n) ? n : `${n} (${basename(rows[i].from.replace(/:\d+$/, ''))})`,
  );
  // The same file given twice (or one file holding a model twice): numbered in reading order.
  return byFile.map((n, i) => (byFile.indexOf(n) === byFile.lastIndexOf(n) ? n : `${n} #${i + 1}`));
}

/** One bar of the returns figure: a model's mean return (whole episode or after the change) and its 95 % CI. */
export interface ReturnPoint {
  model: string;
  measure: 'whole episode' | 'after the change';
  value: number;
  lo: number;
  hi: number;
}

export function returnPoints(rows: readonly ControlResult[]): ReturnPoint[] {
  controlSetting(rows);
  const labels = controlLabels(rows);
  return rows.flatMap((r, i) => [
    {
      model: labels[i],
      measure: 'whole episode',
      value: r.return,
      lo: r.return - r.ci95,
      hi: r.return + r.ci95,
    },
    {
      model: labels[i],
      measure: 'after the change',
      value: r.returnAfterChange,
      lo: r.returnAfterChange - r.returnAfterChangeCi95,
      hi: r.returnAfterChange + r.returnAfterChangeCi95,
    },
  ]);
}

/** One point of the recovery figure: a model's reward averaged over `window` seconds from `seconds` on. */
export interface TracePoint {
  model: string;
  seconds: number;
  reward: number;
}

/** How a row's recovery reads in the legend. */
function recoveryText(r: ControlResult): string {
  if (r.recoveryEpisodes === 0) return 'nothing to recover';
  const median = r.recoverySeconds === null ? 'never' : `${r.recoverySeconds.toFixed(2)} s`;
  return `recovery ${median}, ${r.recovered}/${r.recoveryEpisodes} back`;
}

/**
 * The recovery figure's series: each row's per-step reward (mean over episodes) as the moving
 * average over `window` seconds starting at each step — the average recovery is judged by —
 * placed at the window's start. Needs rows that saved their trace.
 */
export function tracePoints(
  rows: readonly ControlResult[],
  window = 0.5,
): { points: TracePoint[]; labels: string[]; changeAtSeconds: number; setting: string } {
  const setting = controlSetting(rows);
  const labels = controlLabels(rows).map((l, i) => `${l}: ${recoveryText(rows[i])}`);
  const points: TracePoint[] = [];
  rows.forEach((r, i) => {
    if (!r.rewardTrace || r.dt === undefined)
      throw new DataError(
        `${r.from}: holds no reward trace (written by hypermeta control since it saves one)`,
      );
    const w = Math.max(1, Math.round(window / r.dt));
    forwardMovingAverage(r.rewardTrace, w).forEach((reward, t) =>
      points.push({ model: labels[i], seconds: Number((t * r.dt!).toFixed(9)), reward }),
    );
  });
  return { points, labels, changeAtSeconds: rows[0].changeAtSeconds, setting };
}
