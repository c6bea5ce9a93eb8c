import { basename } from 'node:path';
import type { CheckpointManifest, HypernetModel, SavedModel } from '@hypermeta/core';
import { withSuffix, writeFigureFile } from '../../plot/figure-file.js';
import { adaptationSpec, adaptSinusoidTasks } from './adaptation-figure.js';

/** The adaptation figure (FILE-adapt.EXT): true and predicted curves of tasks training never saw. */
export async function sinusoidPlotFigures(
  model: SavedModel,
  manifest: CheckpointManifest,
  checkpointDir: string,
  o: { out: string; tasks: number; shots: number },
): Promise<string[]> {
  const adapted = adaptSinusoidTasks(model as HypernetModel, {
    tasks: o.tasks,
    shots: o.shots,
    seed: manifest.train.seed,
  });
  const title = `${o.shots}-shot adaptation, step ${manifest.state.step} (${basename(checkpointDir)}), tasks training never saw`;
  const path = withSuffix(o.out, '-adapt');
  await writeFigureFile(path, adaptationSpec(adapted, title));
  return [path];
}
