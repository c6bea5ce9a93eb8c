// Experiment driver (not shipped): train + eval on sinusoid with overrides from argv JSON.
import { HypernetModel, sinusoidTrainer, defaultModelConfig, defaultTrainConfig, evaluateSinusoid, useBackend, tf } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
const over = JSON.parse(process.argv[2] ?? '{}');
tf.env().set('PROD', true);
console.log('backend', await useBackend(over.backend ?? 'wasm'));
const mc = { ...defaultModelConfig(over.conditioning), ...(over.model ?? {}) };
const tc = { ...defaultTrainConfig(), ...(over.train ?? {}) };
const model = new HypernetModel(mc, tc.seed);
const trainer = sinusoidTrainer(model, tc);
const t0 = performance.now();
let avg = 0;
for (let i = 0; i < tc.steps; i++) {
  const r = trainer.runStep();
  avg = i === 0 ? r.loss : 0.98 * avg + 0.02 * r.loss;
  if ((i + 1) % Math.max(1, Math.floor(tc.steps / 10)) === 0) console.log(`step ${r.step} loss ${avg.toFixed(4)} ${( (i+1) / ((performance.now() - t0) / 1000)).toFixed(1)} steps/s`);
}
const secs = (performance.now() - t0) / 1000;
for (const shots of [5, 10]) {
  const r = evaluateSinusoid(model, { tasks: 1000, shots, seed: tc.seed });
  console.log(JSON.stringify({ shots, mse: r.mse.toFixed(4), ci95: r.ci95.toFixed(4), ms: r.adaptMsPerTask.toFixed(4), single: r.adaptMsSingleTask.toFixed(3) }));
}
console.log('train seconds', secs.toFixed(1), 'tensors', tf.memory().numTensors);
