import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckpointError, MANIFEST_FILE, type FileReader } from '@hypermeta/core';

const STEP_DIR = /^step-(\d{9})$/;

export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurable(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let at = 0;
    while (at < bytes.byteLength) at += writeSync(fd, bytes, at, bytes.byteLength - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Saves a checkpoint as runDir/checkpoints/step-NNNNNNNNN. Files go to a temporary folder in the
 * same place, are flushed, the manifest last, then the folder is renamed: a crash at any moment
 * leaves either the old set of complete checkpoints or the new one. Keeps the newest `keep`.
 */
export function saveCheckpointDir(runDir: string, step: number, files: Map<string, Uint8Array>, keep: number): string {
  const parent = checkpointsDir(runDir);
  mkdirSync(parent, { recursive: true });
  const name = `step-${String(step).padStart(9, '0')}`;
  const tmp = join(parent, `.tmp-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const [file, bytes] of files) if (file !== MANIFEST_FILE) writeDurable(join(tmp, file), bytes);
  writeDurable(join(tmp, MANIFEST_FILE), files.get(MANIFEST_FILE)!);
  fsyncPath(tmp);
  const final = join(parent, name);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  fsyncPath(parent);
  for (const old of listCheckpoints(runDir).slice(0, -Math.max(1, keep))) rmSync(old, { recursive: true, force: true });
  return final;
}

/** Complete checkpoints of a run, oldest first. Leftover temporary folders are ignored. */
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
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new CheckpointError(`${path}: no such checkpoint folder`);
  if (existsSync(join(abs, MANIFEST_FILE))) return abs;
  const all = listCheckpoints(abs);
  if (all.length === 0) throw new CheckpointError(`${path}: holds no complete checkpoint (no ${MANIFEST_FILE}, no checkpoints/step-*/)`);
  return all[all.length - 1];
}

/** A FileReader over a folder that refuses names outside it. */
export function folderReader(dir: string): FileReader {
  return async (name: string) => {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) throw new CheckpointError(`${dir}: refusing file name '${name}'`);
    try {
      return new Uint8Array(readFileSync(join(dir, name)));
    } catch {
      throw new CheckpointError(`${join(dir, name)}: missing or unreadable`);
    }
  };
}
