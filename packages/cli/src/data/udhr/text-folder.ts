import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, normaliseText, type TextEpisode } from '@hypermeta/core';
import { readTextBounded } from '../../io/input-limits.js';
import { listEpisodeFolder } from '../episode-folders.js';

const TEXT_FILE = /\.txt$/i;
const list = (dir: string) =>
  listEpisodeFolder(dir, (name) => TEXT_FILE.test(name), 'not a text file (.txt expected)');

/** A file read whole as UTF-8 (BOM dropped by the bounded reader), wrapped in our error on failure. */
function readText(path: string): string {
  try {
    return readTextBounded(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read text file ${path} (${(e as Error).message})`);
  }
}

/** One example: the whole file, NFC, white space (line breaks included) folded to single spaces. */
function readExample(path: string): string {
  const text = normaliseText(readText(path));
  if (!text) throw new DataError(`${path}: empty example (the file holds no text)`);
  return text;
}

/** The .txt files of one label folder; sub-folders are refused. */
function labelFiles(dir: string): string[] {
  const inner = list(dir);
  if (inner.dirs.length) throw new DataError(`${join(dir, inner.dirs[0])}: unexpected sub-folder`);
  return inner.files;
}

/**
 * A user's own text episode: `support/<label>/<file>.txt` and optionally `query/<label>/<file>.txt`,
 * each file one example. Labels are numbered by sorted folder name; every label needs the same
 * number (>= 1) of support files, and at least 2 labels; query labels must have support.
 */
export async function readTextEpisodeFolder(dir: string): Promise<TextEpisode> {
  const top = list(dir);
  if (!top.dirs.includes('support'))
    throw new DataError(`${dir}: missing support/ folder (support/<label>/<file>.txt)`);
  const supportDir = join(dir, 'support');
  const support = list(supportDir);
  if (support.files.length)
    throw new DataError(
      `${supportDir}: text files must sit in one folder per label (support/<label>/<file>.txt)`,
    );
  const labels = support.dirs;
  if (labels.length < 2)
    throw new DataError(`${supportDir}: need at least 2 label folders, found ${labels.length}`);
  const perLabel = labels.map((l) => labelFiles(join(supportDir, l)));
  const shots = perLabel[0].length;
  if (shots === 0 || perLabel.some((f) => f.length !== shots)) {
    const counts = labels.map((l, i) => `${l}: ${perLabel[i].length}`).join(', ');
    throw new DataError(`${supportDir}: every label needs the same number (>= 1) of text files (${counts})`);
  }
  const episode: TextEpisode = {
    classes: labels,
    supportTexts: [],
    supportLabels: [],
    queryTexts: [],
    queryLabels: [],
  };
  labels.forEach((l, c) => {
    for (const f of perLabel[c]) {
      episode.supportTexts.push(readExample(join(supportDir, l, f)));
      episode.supportLabels.push(c);
    }
  });
  if (top.dirs.includes('query')) {
    const queryDir = join(dir, 'query');
    const query = list(queryDir);
    if (query.files.length)
      throw new DataError(
        `${queryDir}: text files must sit in one folder per label (query/<label>/<file>.txt)`,
      );
    for (const l of query.dirs) {
      const c = labels.indexOf(l);
      if (c < 0) throw new DataError(`${join(queryDir, l)}: label "${l}" has no support texts`);
      for (const f of labelFiles(join(queryDir, l))) {
        episode.queryTexts.push(readExample(join(queryDir, l, f)));
        episode.queryLabels.push(c);
      }
    }
  }
  return episode;
}

/**
 * Queries for `adapt`: the non-blank lines of a text file, or of every .txt file of a folder
 * (sorted by name), each line one query (NFC, white space folded). BOM and CRLF line ends are fine.
 */
export async function readQueryLines(path: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new DataError(`cannot read queries ${path} (${(e as Error).message})`);
  }
  const files = isDir ? labelFiles(path).map((f) => join(path, f)) : [path];
  const lines = files.flatMap((f) =>
    readText(f)
      .split(/\r?\n|\r/)
      .map(normaliseText)
      .filter(Boolean),
  );
  if (!lines.length) throw new DataError(`${path}: no queries (every line is blank)`);
  return lines;
}
