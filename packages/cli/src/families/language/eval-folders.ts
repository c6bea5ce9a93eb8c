import {
  DataError,
  type LanguageEvalResult,
  type LanguageModel,
  scoreTextEpisodes,
  type TextEpisode,
} from '@hypermeta/core';
import { findEpisodeFolders } from '../../data/episode-folders.js';
import { readTextEpisodeFolder } from '../../data/udhr/index.js';

/** Accuracy on users' labelled text episode folders (and the baseline's, when asked). */
export async function evalTextFolders(
  model: LanguageModel,
  dir: string,
  baseline: boolean,
): Promise<LanguageEvalResult & { episodes: number; folders: string[] }> {
  const folders = findEpisodeFolders(dir, '<file>.txt');
  const episodes: TextEpisode[] = [];
  for (const folder of folders) {
    const e = await readTextEpisodeFolder(folder);
    if (e.queryTexts.length === 0)
      throw new DataError(`${folder}: no query texts (query/<label>/<file>.txt) to score`);
    episodes.push(e);
  }
  return { ...scoreTextEpisodes(model, episodes, { baseline }), episodes: episodes.length, folders };
}
