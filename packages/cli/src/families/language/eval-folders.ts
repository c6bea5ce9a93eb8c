import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataError,
  type LanguageEvalResult,
  type LanguageModel,
  scoreTextEpisodes,
  type TextEpisode,
} from '@hypermeta/core';
import { readTextEpisodeFolder } from '../../data/udhr/index.js';

/** Episode folders: `dir` itself when it has support/, else its sub-folders that have one. */
function episodeFolders(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(`${dir}: no such folder`);
  if (existsSync(join(dir, 'support'))) return [dir];
  const found = readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'support')));
  if (found.length === 0)
    throw new DataError(
      `${dir}: holds no episode (a folder with support/<label>/<file>.txt and query/<label>/<file>.txt)`,
    );
  return found;
}

/** Accuracy on users' labelled text episode folders (and the baseline's, when asked). */
export async function evalTextFolders(
  model: LanguageModel,
  dir: string,
  baseline: boolean,
): Promise<LanguageEvalResult & { episodes: number; folders: string[] }> {
  const folders = episodeFolders(dir);
  const episodes: TextEpisode[] = [];
  for (const folder of folders) {
    const e = await readTextEpisodeFolder(folder);
    if (e.queryTexts.length === 0)
      throw new DataError(`${folder}: no query texts (query/<label>/<file>.txt) to score`);
    episodes.push(e);
  }
  return { ...scoreTextEpisodes(model, episodes, { baseline }), episodes: episodes.length, folders };
}
