import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@hypermeta/core';

/**
 * The episode folders `eval --episodes-dir` scores: `dir` itself when it has support/, else its
 * sub-folders that have one (sorted, so results come in a stable order). `files` names what a
 * label folder holds, for the error when there is none (e.g. '<images>', '<file>.txt').
 */
export function findEpisodeFolders(dir: string, files: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(`${dir}: no such folder`);
  if (existsSync(join(dir, 'support'))) return [dir];
  const found = readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'support')));
  if (found.length === 0)
    throw new DataError(
      `${dir}: holds no episode (a folder with support/<label>/${files} and query/<label>/${files})`,
    );
  return found;
}
