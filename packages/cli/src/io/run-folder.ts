import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from '@hypermeta/core';
import { listCheckpoints, resolveCheckpointDir } from './checkpoint-dir.js';

/** A new run's folder: refuses to replace an existing run unless `force`. */
export function freshRunDir(out: string, force: boolean | undefined): string {
  const runDir = resolve(out);
  if (listCheckpoints(runDir).length > 0 || existsSync(join(runDir, 'metrics.jsonl'))) {
    if (!force) throw new InvalidArgumentError(`${out} already holds a run: pass --resume ${out} to continue it, --force to replace it, or another --out`);
    rmSync(join(runDir, 'checkpoints'), { recursive: true, force: true });
    rmSync(join(runDir, 'metrics.jsonl'), { force: true });
  }
  return runDir;
}

/** --resume takes a run folder or one of its checkpoints/step-* folders. */
export function resumeDirs(path: string): { runDir: string; checkpointDir: string } {
  const checkpointDir = resolveCheckpointDir(path);
  return { runDir: resolve(checkpointDir, '..', '..'), checkpointDir };
}
