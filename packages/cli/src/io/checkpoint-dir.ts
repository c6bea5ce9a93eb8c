import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointError, MANIFEST_FILE, type FileReader } from '@hypermeta/core';
import { writeDurable } from './atomic-file.js';

const STEP_DIR = /^step-(\d{9})$/;
/** Work folders of a save: `.tmp-` (being written) and `.old-` (a same-step checkpoint being replaced). */
const WORK_DIR = /^\.(tmp|old|del)-(step-\d{9})-\d+$/;

export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

export function stepDirName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/** Flushes a file or folder entry to disk. Some platforms cannot fsync a folder; there a rename is the best we get. */
function fsyncPath(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on folders (Windows): nothing more can be done.
  } finally {
    closeSync(fd);
  }
}

/**
 * Repairs what a killed save left behind: a `.old-` folder whose replacement never arrived is
 * put back (it is a complete checkpoint); every other work folder is removed.
 */
export function recoverCheckpoints(runDir: string): void {
  const parent = checkpointsDir(runDir);
  if (!existsSync(parent)) return;
  for (const n of readdirSync(parent).sort()) {
    const m = WORK_DIR.exec(n);
    // A step folder without its manifest is what an interrupted delete of older versions left.
    if (!m && STEP_DIR.test(n) && !existsSync(join(parent, n, MANIFEST_FILE)))
      rmSync(join(parent, n), { recursive: true, force: true });
    if (!m) continue;
    const final = join(parent, m[2]);
    if (
      m[1] === 'old' &&
      !existsSync(join(final, MANIFEST_FILE)) &&
      existsSync(join(parent, n, MANIFEST_FILE))
    ) {
      rmSync(final, { recursive: true, force: true });
      renameSync(join(parent, n), final);
    } else rmSync(join(parent, n), { recursive: true, force: true });
  }
  fsyncPath(parent);
}

/**
 * Saves a checkpoint as runDir/checkpoints/step-NNNNNNNNN. Files go to a temporary folder in the
 * same place and are flushed, the manifest last; then the folder is renamed into place. A complete
 * checkpoint is never removed before its replacement is in place, so a kill at any moment leaves
 * every checkpoint saved so far loadable (or one being replaced, recoverable by the next save).
 * Then keeps the newest `keep`.
 */
export function saveCheckpointDir(
  runDir: string,
  step: number,
  files: Map<string, Uint8Array>,
  keep: number,
): string {
  const parent = checkpointsDir(runDir);
  mkdirSync(parent, { recursive: true });
  recoverCheckpoints(runDir);
  const name = stepDirName(step);
  const tmp = join(parent, `.tmp-${name}-${process.pid}`);
  mkdirSync(tmp);
  try {
    for (const [file, bytes] of files) if (file !== MANIFEST_FILE) writeDurable(join(tmp, file), bytes);
    writeDurable(join(tmp, MANIFEST_FILE), files.get(MANIFEST_FILE)!);
    fsyncPath(tmp);
  } catch (e) {
    // A full disk or a lost folder: nothing was renamed yet, so the run is as it was; free the space.
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const final = join(parent, name);
  const old = join(parent, `.old-${name}-${process.pid}`);
  const replacing = existsSync(final);
  if (replacing) renameSync(final, old);
  renameSync(tmp, final);
  fsyncPath(parent);
  if (replacing) rmSync(old, { recursive: true, force: true });
  // Oldest first, and only after the new one is durable: a kill mid-prune leaves more, never fewer.
  // Renamed out of the step-* namespace first: a kill mid-delete leaves a .del- folder for the
  // next save to clear, never a half-deleted step folder that looks like a checkpoint.
  for (const stale of listCheckpoints(runDir).slice(0, -Math.max(1, keep))) {
    const trash = join(parent, `.del-${basename(stale)}-${process.pid}`);
    renameSync(stale, trash);
    rmSync(trash, { recursive: true, force: true });
  }
  return final;
}

/** Complete checkpoints of a run, oldest first. Work folders and incomplete ones are ignored. */
export function listCheckpoints(runDir: string): string[] {
  const parent = checkpointsDir(runDir);
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((n) => STEP_DIR.test(n) && existsSync(join(parent, n, MANIFEST_FILE)))
    .sort()
    .map((n) => join(parent, n));
}

/** Accepts a checkpoint folder, or a run folder (its newest complete checkpoint). */
export function resolveCheckpointDir(path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new CheckpointError(`${path}: no such checkpoint folder`);
  if (existsSync(join(abs, MANIFEST_FILE))) return abs;
  const all = listCheckpoints(abs);
  if (all.length === 0)
    throw new CheckpointError(
      `${path}: holds no complete checkpoint (no ${MANIFEST_FILE}, no checkpoints/step-*/)`,
    );
  return all[all.length - 1];
}

/** The run folder a checkpoint folder belongs to, if it sits at RUN/checkpoints/step-NNNNNNNNN. */
export function runOfCheckpoint(checkpointDir: string): string | undefined {
  const parent = dirname(checkpointDir);
  return STEP_DIR.test(basename(checkpointDir)) && basename(parent) === 'checkpoints'
    ? dirname(parent)
    : undefined;
}

/** A FileReader over a folder that refuses names outside it. */
export function folderReader(dir: string): FileReader {
  return async (name: string) => {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.'))
      throw new CheckpointError(`${dir}: refusing file name '${name}'`);
    try {
      return new Uint8Array(readFileSync(join(dir, name)));
    } catch {
      throw new CheckpointError(`${join(dir, name)}: missing or unreadable`);
    }
  };
}
