// Experiment (not shipped): evaluate an Omniglot checkpoint with test-time inner steps on the generated head.
import { tf, useBackend, loadCheckpoint, evaluateFewShot } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { folderReader, resolveCheckpointDir } from '../packages/cli/dist/io/checkpoint-dir.js';
import { loadOmniglotSplit } from '../packages/cli/dist/data/omniglot-split.js';
tf.env().set('PROD', true);
await useBackend('wasm');
const [dir, stepsList, lrList, ways = '20', episodes = '200'] = process.argv.slice(2);
const { model } = await loadCheckpoint(folderReader(resolveCheckpointDir(dir)), { optimizer: false });
const split = await loadOmniglotSplit('/work/shared/data/omniglot', 2);
for (const steps of stepsList.split(',').map(Number)) for (const lr of lrList.split(',').map(Number)) {
  model.config.innerSteps = steps; model.config.innerLr = lr;
  const r = evaluateFewShot(model, split.test, { episodes: Number(episodes), ways: Number(ways), shots: 1, queries: 5, seed: 1 });
  console.log(JSON.stringify({ steps, lr, ways, acc: r.accuracy.toFixed(4), ci95: r.ci95.toFixed(4) }));
}
