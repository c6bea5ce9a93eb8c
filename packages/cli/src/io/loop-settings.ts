import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError } from '@hypermeta/core';
import { writeFileAtomic } from './atomic-file.js';

export interface LoopOptions {
  checkpointEvery: number;
  keep: number;
  logEvery: number;
  /** Stop (with a checkpoint) after this step; the schedule still spans all steps, so --resume continues exactly. */
  stopAt?: number;
  /** On a NaN/infinite loss or gradient: stop (default), or reload the last checkpoint at half the peak lr. */
  onDivergence?: 'stop' | 'rollback';
  /** Rollbacks allowed before giving up. */
  divergenceRetries?: number;
}

/** The loop flags a run keeps: a --resume without them continues as the run started. */
export type LoopSettings = Required<Omit<LoopOptions, 'stopAt'>>;

export const LOOP_DEFAULTS: LoopSettings = {
  checkpointEvery: 1000,
  keep: 3,
  logEvery: 50,
  onDivergence: 'stop',
  divergenceRetries: 3,
};

const FILE = 'loop.json';

/** Each setting from the flags if given, else from the run (on --resume), else the default. */
export function resolveLoopSettings(
  flags: Partial<LoopOptions>,
  saved: Partial<LoopSettings> = {},
): LoopSettings {
  const pick = <K extends keyof LoopSettings>(k: K): LoopSettings[K] =>
    (flags[k] ?? saved[k] ?? LOOP_DEFAULTS[k]) as LoopSettings[K];
  return {
    checkpointEvery: pick('checkpointEvery'),
    keep: pick('keep'),
    logEvery: pick('logEvery'),
    onDivergence: pick('onDivergence'),
    divergenceRetries: pick('divergenceRetries'),
  };
}

/** Saves the settings with the run; an unchanged file is left alone. */
export function writeLoopSettings(runDir: string, s: LoopSettings): void {
  const path = join(runDir, FILE);
  const text = `${JSON.stringify(s, null, 2)}\n`;
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  mkdirSync(runDir, { recursive: true });
  writeFileAtomic(path, text);
}

const positiveInt = (v: unknown, max: number) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;

/** The run's saved settings; {} for a run from before they were saved. A damaged file is an error naming it. */
export function readLoopSettings(runDir: string): Partial<LoopSettings> {
  const path = join(runDir, FILE);
  if (!existsSync(path)) return {};
  let s: Partial<LoopSettings>;
  try {
    s = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CheckpointError(
      `${path} is not valid JSON (${(e as Error).message}): fix or delete it (flags or defaults then apply)`,
    );
  }
  const ok =
    s !== null &&
    typeof s === 'object' &&
    (s.checkpointEvery === undefined || positiveInt(s.checkpointEvery, 1e12)) &&
    (s.keep === undefined || positiveInt(s.keep, 1000)) &&
    (s.logEvery === undefined || positiveInt(s.logEvery, 1e12)) &&
    (s.divergenceRetries === undefined || positiveInt(s.divergenceRetries, 100)) &&
    (s.onDivergence === undefined || s.onDivergence === 'stop' || s.onDivergence === 'rollback');
  if (!ok)
    throw new CheckpointError(
      `${path} holds an invalid loop setting: fix or delete it (flags or defaults then apply)`,
    );
  return s;
}
