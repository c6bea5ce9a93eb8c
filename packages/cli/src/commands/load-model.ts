import { loadCheckpoint, type LoadedCheckpoint, tf } from '@hypermeta/core';
import { folderReader, resolveCheckpointDir } from '../io/checkpoint-dir.js';

/** Loads a checkpoint (or a run's newest one) for inference; optimizer moments are dropped. */
export async function loadForInference(path: string): Promise<Omit<LoadedCheckpoint, 'optimizer'> & { dir: string }> {
  const dir = resolveCheckpointDir(path);
  const { manifest, model, optimizer } = await loadCheckpoint(folderReader(dir));
  tf.dispose(Object.values(optimizer));
  return { manifest, model, dir };
}
