import {
  DataError,
  episodeAccuracy,
  episodeTensors,
  disposeEpisode,
  type FewShotModel,
  meanCi95,
} from '@hypermeta/core';
import { findEpisodeFolders } from '../../data/episode-folders.js';
import { loadEpisodeFolder } from '../../data/omniglot-source.js';

/** Accuracy on users' labelled episode folders. */
export async function evalFolders(
  model: FewShotModel,
  dir: string,
): Promise<{ episodes: number; accuracy: number; ci95: number; perEpisode: object[] }> {
  const perEpisode: { episode: string; ways: number; shots: number; queries: number; accuracy: number }[] =
    [];
  for (const folder of findEpisodeFolders(dir, '<images>')) {
    const e = await loadEpisodeFolder(folder, model.config.imageSize);
    if (!e.queryLabels)
      throw new DataError(`${folder}: query images must sit in query/<label>/ folders to be scored`);
    if (e.queryLabels.length === 0) throw new DataError(`${folder}: no query images`);
    const t = episodeTensors(e);
    try {
      perEpisode.push({
        episode: folder,
        ways: e.ways,
        shots: e.shots,
        queries: e.queryLabels.length,
        accuracy: episodeAccuracy(model, t),
      });
    } finally {
      disposeEpisode(t);
    }
  }
  const { mean, ci95 } = meanCi95(perEpisode.map((p) => p.accuracy));
  return { episodes: perEpisode.length, accuracy: mean, ci95, perEpisode };
}
