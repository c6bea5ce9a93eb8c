// Experiment (not shipped): the hypernet checkpoint's backbone with a plain prototype head.
// Usage: node experiments/exp-proto-on-hyper.mjs [RUN_DIR] [EPISODES]  (same episodes as `eval`, for both heads)
import { tf, useBackend, evaluateFewShot, FewShotModel } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { loadForInference, loadOmniglotSplit } from '@hypermeta/cli';
tf.env().set('PROD', true);
await useBackend('wasm');
const { model, manifest } = await loadForInference(process.argv[2] ?? 'runs/omniglot-hypernet');
// A modulated backbone's features depend on the generator: a plain head on them would compare other features.
if (model.config.modulation) throw new Error('this comparison needs an unmodulated hypernet checkpoint');
const proto = new FewShotModel({ ...model.config, method: 'protonet', protoLoss: 0 }, 1);
const vals = {};
for (const { name, tensor } of model.store.named()) if (name.startsWith('backbone/')) vals[name] = tensor;
proto.store.assign(vals, 'hypernet');
const split = await loadOmniglotSplit(model.config.dataDir, model.config.heldOutAlphabets);
const episodes = Number(process.argv[3] ?? 200);
for (const ways of [5, 20]) {
  for (const [name, m] of [
    ['hypernet', model],
    ['proto-head', proto],
  ]) {
    const r = evaluateFewShot(m, split.test, {
      episodes,
      ways,
      shots: 1,
      queries: 5,
      seed: manifest.train.seed,
    });
    console.log(ways, name, r.accuracy.toFixed(4), r.ci95.toFixed(4));
  }
}
