import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, InvalidArgumentError } from '@hypermeta/core';
import { readTextBounded } from '../io/input-limits.js';

/** A meta-training log line: the loss at a step, with the learning rate and gradient norm when logged. */
export interface TrainPoint {
  step: number;
  loss: number;
  lr?: number;
  gradNorm?: number;
}

/** One periodic evaluation value (any numeric `eval*` field), with its 95 % CI when logged. */
export interface EvalPoint {
  step: number;
  metric: string;
  value: number;
  ci95?: number;
}

export interface RunMetrics {
  train: TrainPoint[];
  evals: EvalPoint[];
  /** Eval field names in order of first appearance (evalMse5Shot, evalAccuracy, …). */
  metrics: string[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
// Confidence-interval fields describe another eval field; they are not series of their own.
const isCi = (k: string) => /ci95$/i.test(k);

/** Eval series of one record: numeric `eval*` fields; `<field>Ci95`, or `evalCi95` when only one. */
function evalPoints(r: Record<string, unknown>, step: number): EvalPoint[] {
  const fields = Object.keys(r).filter((k) => /^eval/.test(k) && !isCi(k) && isNum(r[k]));
  return fields.map((metric) => {
    const ci = r[`${metric}Ci95`] ?? (fields.length === 1 ? r.evalCi95 : undefined);
    return { step, metric, value: r[metric] as number, ...(isNum(ci) ? { ci95: ci } : {}) };
  });
}

/** Parses metrics.jsonl text; `source` names it in error messages. */
export function parseMetrics(text: string, source: string): RunMetrics {
  const out: RunMetrics = { train: [], evals: [], metrics: [] };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new DataError(`${source}:${i + 1}: not a JSON line`);
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new DataError(`${source}:${i + 1}: expected a JSON object`);
    const rec = r as Record<string, unknown>;
    if (!isNum(rec.step)) throw new DataError(`${source}:${i + 1}: no numeric "step"`);
    if (isNum(rec.loss)) {
      out.train.push({
        step: rec.step,
        loss: rec.loss,
        ...(isNum(rec.lr) ? { lr: rec.lr } : {}),
        ...(isNum(rec.gradNorm) ? { gradNorm: rec.gradNorm } : {}),
      });
    }
    for (const p of evalPoints(rec, rec.step)) {
      if (!out.metrics.includes(p.metric)) out.metrics.push(p.metric);
      out.evals.push(p);
    }
  });
  if (out.train.length === 0 && out.evals.length === 0)
    throw new DataError(`${source}: holds no loss or eval values`);
  return out;
}

/** Reads RUN/metrics.jsonl, with one-line errors for a missing folder or a bad log. */
export function readRunMetrics(runDir: string): RunMetrics {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory())
    throw new InvalidArgumentError(`${runDir}: no such run folder`);
  const path = join(runDir, 'metrics.jsonl');
  if (!existsSync(path)) throw new DataError(`${path}: missing (is ${runDir} a run folder?)`);
  return parseMetrics(readTextBounded(path), path);
}
