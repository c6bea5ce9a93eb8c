// Experiment (not shipped): evaluate the uniform average of several checkpoints' weights (same run).
// node experiments/exp-avg.mjs RUN/checkpoints/step-A RUN/checkpoints/step-B ... (same episodes as `eval`: seed = training seed)
import { tf, useBackend, evaluateFewShot } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { loadForInference, loadOmniglotSplit } from '@hypermeta/cli';
tf.env().set('PROD', true);
await useBackend('wasm');
const loaded = [];
for (const p of process.argv.slice(2)) loaded.push(await loadForInference(p));
const model = loaded[0].model;
const vars = model.store.variables;
vars.forEach((v, i) =>
  v.assign(tf.tidy(() => tf.div(tf.addN(loaded.map((l) => l.model.store.variables[i])), loaded.length))),
);
const split = await loadOmniglotSplit(model.config.dataDir, model.config.heldOutAlphabets);
for (const ways of [5, 20]) {
  const r = evaluateFewShot(model, split.test, {
    episodes: 600,
    ways,
    shots: 1,
    queries: 5,
    seed: loaded[0].manifest.train.seed,
  });
  console.log(ways, (100 * r.accuracy).toFixed(2), (100 * r.ci95).toFixed(2));
}
