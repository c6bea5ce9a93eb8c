// Experiment (not shipped): the hypernet checkpoint's backbone with a plain prototype head.
// Usage: node tools/exp-proto-on-hyper.mjs [RUN_DIR] [EPISODES]  (same episodes for both heads)
import { tf, useBackend, loadCheckpoint, evaluateFewShot, FewShotModel } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { folderReader, resolveCheckpointDir } from '../packages/cli/dist/io/checkpoint-dir.js';
import { loadOmniglotSplit } from '../packages/cli/dist/data/omniglot-split.js';
tf.env().set('PROD', true);
await useBackend('wasm');
const { model } = await loadCheckpoint(folderReader(resolveCheckpointDir(process.argv[2] ?? 'runs/omniglot-hypernet')), { optimizer: false });
const proto = new FewShotModel({ ...model.config, method: 'protonet', protoLoss: 0, modulation: false }, 1);
const vals = {};
for (const { name, tensor } of model.store.named()) if (name.startsWith('backbone/')) vals[name] = tensor;
proto.store.assign(vals, 'hypernet');
const split = await loadOmniglotSplit('/work/shared/data/omniglot', 2);
const episodes = Number(process.argv[3] ?? 200);
for (const ways of [5, 20]) {
  for (const [name, m] of [['hypernet', model], ['proto-head', proto]]) {
    const r = evaluateFewShot(m, split.test, { episodes, ways, shots: 1, queries: 5, seed: 1 });
    console.log(ways, name, r.accuracy.toFixed(4), r.ci95.toFixed(4));
  }
}
