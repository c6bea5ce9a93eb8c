import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError, InvalidArgumentError } from '@hypermeta/core';
import { writeDurable } from '../io/atomic-file.js';

function entries(dir: string): string[] | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return undefined; // not there yet: written later
  }
  if (!isDir) throw new DataError(`--export ${dir}: a file is in the way (name a folder)`);
  return readdirSync(dir);
}

/**
 * Refuses an --export folder that already holds something, unless --force: checked before the
 * model adapts, so a refused command costs nothing and changes nothing.
 */
export function checkExportDir(dir: string, force: boolean): void {
  const found = entries(dir);
  if (found?.length && !force)
    throw new InvalidArgumentError(
      `--export ${dir} already exists and is not empty: pass --force to replace it, or name another folder`,
    );
}

/**
 * Writes the exported files into `dir` as a whole: into a new folder beside it first (each file
 * flushed), then swapped in by renames, so an interruption leaves the old folder or the new one.
 * An existing folder is replaced only with `force`.
 */
export function writeExportDir(dir: string, files: Record<string, Uint8Array>, force: boolean): void {
  checkExportDir(dir, force);
  const target = resolve(dir);
  const staging = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    for (const [name, bytes] of Object.entries(files)) writeDurable(join(staging, name), bytes);
    const existing = entries(target) !== undefined;
    if (existing) renameSync(target, old);
    try {
      renameSync(staging, target);
    } catch (e) {
      if (existing) renameSync(old, target); // put the old export back
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (e instanceof DataError || e instanceof InvalidArgumentError) throw e;
    throw new DataError(`cannot write the export to ${dir}: ${(e as Error).message}`);
  }
}
