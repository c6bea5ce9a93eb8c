import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckpointError, InvalidArgumentError, MANIFEST_FILE } from '@hypermeta/core';
import { listCheckpoints, resolveCheckpointDir, runOfCheckpoint } from './checkpoint-dir.js';

/** A new run's folder: refuses one that holds a run unless `force`. Removes nothing (see clearRun). */
export function checkFreshRunDir(out: string, force: boolean | undefined): string {
  const runDir = resolve(out);
  if (listCheckpoints(runDir).length > 0 || existsSync(join(runDir, 'metrics.jsonl'))) {
    if (!force)
      throw new InvalidArgumentError(
        `${out} already holds a run: pass --resume ${out} to continue it, --force to replace it, or another --out`,
      );
  }
  return runDir;
}

/** An older run moved aside by --force: deleted once the new run has a checkpoint, put back if it fails before. */
export interface ReplacedRun {
  /** The new run has saved a checkpoint: the old one can go. */
  discard(): void;
  /** The new run failed before its first checkpoint: remove what it wrote and put the old run back. */
  restore(): void;
}

// on-policy: data collected during training (dynamics), part of the run like its checkpoints.
const RUN_FILES = ['checkpoints', 'metrics.jsonl', 'loop.json', 'on-policy'];

/** Moves an older run's files into `.replaced-<pid>/` (one rename each); undefined when there is nothing to move. */
export function setAsideRun(runDir: string): ReplacedRun | undefined {
  const present = RUN_FILES.filter((f) => existsSync(join(runDir, f)));
  if (present.length === 0) return undefined;
  const aside = join(runDir, `.replaced-${process.pid}`);
  mkdirSync(aside, { recursive: true });
  for (const f of present) renameSync(join(runDir, f), join(aside, f));
  let settled = false;
  return {
    discard() {
      if (settled) return;
      settled = true;
      rmSync(aside, { recursive: true, force: true });
    },
    restore() {
      if (settled) return;
      settled = true;
      for (const f of RUN_FILES) rmSync(join(runDir, f), { recursive: true, force: true });
      for (const f of present) renameSync(join(aside, f), join(runDir, f));
      rmSync(aside, { recursive: true, force: true });
    },
  };
}

/**
 * The run folder a --resume names, found without listing its checkpoints: the folder to lock
 * before anything else is read, since a training still writing there may add a checkpoint at
 * any moment (resumeDirs, under the lock, then picks and checks the checkpoint).
 */
export function resumeRunDir(path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new CheckpointError(`${path}: no such checkpoint folder`);
  if (!existsSync(join(abs, MANIFEST_FILE))) return abs;
  const runDir = runOfCheckpoint(abs);
  if (!runDir)
    throw new CheckpointError(
      `${path}: --resume needs a run folder or one of its checkpoints/step-* folders`,
    );
  return runDir;
}

/**
 * --resume takes a run folder or its newest checkpoints/step-* folder. New checkpoints go to that
 * run folder, so a checkpoint outside one, or an older one (whose run has moved on: continuing
 * from it would mix two histories), is refused.
 */
export function resumeDirs(path: string): { runDir: string; checkpointDir: string } {
  const checkpointDir = resolveCheckpointDir(path);
  const runDir = runOfCheckpoint(checkpointDir);
  if (!runDir)
    throw new CheckpointError(
      `${path}: --resume needs a run folder or one of its checkpoints/step-* folders`,
    );
  const newest = listCheckpoints(runDir).at(-1);
  if (newest !== checkpointDir) {
    throw new InvalidArgumentError(
      `${path} is not the newest checkpoint of its run (${newest} is): copy it into a new run folder to branch from it`,
    );
  }
  return { runDir, checkpointDir };
}
