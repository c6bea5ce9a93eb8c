import { familyOf, loadCheckpoint, type LoadedCheckpoint, type TaskFamily, tf } from '@hypermeta/core';
import type { CliFamily } from '../families/cli-family.js';
import { cliFamily } from '../families/registry.js';
import { folderReader, resolveCheckpointDir } from '../io/checkpoint-dir.js';

export type InferenceCheckpoint = Omit<LoadedCheckpoint, 'optimizer'> & {
  dir: string;
  family: TaskFamily;
  cli: CliFamily;
};

/** Loads a checkpoint (or a run's newest one) for inference, with its family; optimizer moments are dropped. */
export async function loadForInference(path: string): Promise<InferenceCheckpoint> {
  const dir = resolveCheckpointDir(path);
  const { manifest, model, optimizer } = await loadCheckpoint(folderReader(dir), { optimizer: false });
  tf.dispose(Object.values(optimizer));
  try {
    const family = familyOf(model.config);
    return { manifest, model, dir, family, cli: cliFamily(family.name) };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
