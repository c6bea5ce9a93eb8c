import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckpointError, InvalidArgumentError } from '@hypermeta/core';
import { listCheckpoints, resolveCheckpointDir, runOfCheckpoint } from './checkpoint-dir.js';

/** A new run's folder: refuses one that holds a run unless `force`. Removes nothing (see clearRun). */
export function checkFreshRunDir(out: string, force: boolean | undefined): string {
  const runDir = resolve(out);
  if (listCheckpoints(runDir).length > 0 || existsSync(join(runDir, 'metrics.jsonl'))) {
    if (!force) throw new InvalidArgumentError(`${out} already holds a run: pass --resume ${out} to continue it, --force to replace it, or another --out`);
  }
  return runDir;
}

/** Removes an older run's checkpoints and log (--force), once the new run is ready to start. */
export function clearRun(runDir: string): void {
  rmSync(join(runDir, 'checkpoints'), { recursive: true, force: true });
  rmSync(join(runDir, 'metrics.jsonl'), { force: true });
}

/**
 * --resume takes a run folder or its newest checkpoints/step-* folder. New checkpoints go to that
 * run folder, so a checkpoint outside one, or an older one (whose run has moved on: continuing
 * from it would mix two histories), is refused.
 */
export function resumeDirs(path: string): { runDir: string; checkpointDir: string } {
  const checkpointDir = resolveCheckpointDir(path);
  const runDir = runOfCheckpoint(checkpointDir);
  if (!runDir) throw new CheckpointError(`${path}: --resume needs a run folder or one of its checkpoints/step-* folders`);
  const newest = listCheckpoints(runDir).at(-1);
  if (newest !== checkpointDir) {
    throw new InvalidArgumentError(`${path} is not the newest checkpoint of its run (${newest} is): copy it into a new run folder to branch from it`);
  }
  return { runDir, checkpointDir };
}
