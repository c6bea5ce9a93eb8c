import { HypernetModel, InvalidArgumentError, loadCheckpoint, type LoadedCheckpoint, type SavedModel, tf } from '@hypermeta/core';
import { folderReader, resolveCheckpointDir } from '../io/checkpoint-dir.js';

/** Loads a checkpoint (or a run's newest one) for inference; optimizer moments are dropped. */
export async function loadForInference(path: string): Promise<Omit<LoadedCheckpoint, 'optimizer'> & { dir: string }> {
  const dir = resolveCheckpointDir(path);
  const { manifest, model, optimizer } = await loadCheckpoint(folderReader(dir), { optimizer: false });
  tf.dispose(Object.values(optimizer));
  return { manifest, model, dir };
}

/** Narrows a loaded model to a sinusoid hypernetwork, or explains which task it was trained on. */
export function asSinusoid(model: SavedModel, what: string): HypernetModel {
  if (model instanceof HypernetModel) return model;
  const task = model.config.task;
  model.dispose();
  throw new InvalidArgumentError(`${what} needs a sinusoid checkpoint; this one is for task '${task}'`);
}
