// Kernels of one sinusoid meta-step: node experiments/prof.mjs [backend] [T]
import { getFamily, MetaTrainer, useBackend, tf } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend(process.argv[2] ?? 'wasm');
const T = Number(process.argv[3] ?? 32);
const family = getFamily('sinusoid');
const model = family.build(family.defaultModelConfig('hypernet'), 1);
const train = { ...family.defaultTrainConfig('hypernet'), metaBatch: T };
const trainer = new MetaTrainer(family.learner(model, undefined, train), train);
for (let i = 0; i < 20; i++) trainer.runStep();
const prof = await tf.profile(() => {
  trainer.runStep();
});
console.log(
  'kernels per step',
  prof.kernels.length,
  'ms',
  prof.kernels.reduce((a, k) => a + k.kernelTimeMs, 0).toFixed(2),
);
const by = {};
for (const k of prof.kernels) {
  by[k.name] = by[k.name] ?? [0, 0];
  by[k.name][0]++;
  by[k.name][1] += k.kernelTimeMs;
}
console.log(
  Object.entries(by)
    .sort((a, b) => b[1][1] - a[1][1])
    .slice(0, 12)
    .map(([n, [c, t]]) => `${n} x${c} ${t.toFixed(2)}ms`)
    .join('\n'),
);
const t0 = performance.now();
for (let i = 0; i < 100; i++) trainer.runStep();
console.log('steps/s', (100 / ((performance.now() - t0) / 1000)).toFixed(1));
