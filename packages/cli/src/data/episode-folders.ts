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

// Hidden files (.DS_Store) and Windows thumbnails are never user data; anything else unknown is an error.
const IGNORED = /^(\..*|Thumbs\.db|desktop\.ini)$/i;

/** A folder of an episode: its sub-folders and the example files in it, both sorted. */
export interface FolderListing {
  dirs: string[];
  files: string[];
}

/**
 * Lists one folder of an episode for the image and text readers: `accepts` says which file names
 * are examples; any other file (hidden ones aside) is refused, naming `expected`.
 */
export function listEpisodeFolder(
  dir: string,
  accepts: (name: string) => boolean,
  expected: string,
): FolderListing {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new DataError(`cannot read folder ${dir} (${(e as Error).message})`);
  }
  const out: FolderListing = { dirs: [], files: [] };
  for (const name of names) {
    if (IGNORED.test(name)) continue;
    if (statSync(join(dir, name)).isDirectory()) out.dirs.push(name);
    else if (accepts(name)) out.files.push(name);
    else throw new DataError(`${join(dir, name)}: ${expected}`);
  }
  return out;
}
