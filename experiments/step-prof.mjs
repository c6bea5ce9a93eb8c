// Profiles one Omniglot meta-step (FewShotModel forward + backward) by kernel: node experiments/step-prof.mjs [filters] [ways] [queries]
import { tf, useBackend } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { Conv4MetaStep, randomImages } from '@hypermeta/cli';
tf.env().set('PROD', true);
await useBackend('wasm');
const filters = Number(process.argv[2] ?? 32),
  ways = Number(process.argv[3] ?? 20),
  queries = Number(process.argv[4] ?? 5);
const step = new Conv4MetaStep(ways, 1, filters);
const px = randomImages(ways * (1 + queries), 1);
for (let i = 0; i < 3; i++) step.run(px, queries);
const t0 = performance.now();
for (let i = 0; i < 5; i++) step.run(px, queries);
console.log('ms/step', ((performance.now() - t0) / 5).toFixed(1));
const prof = await tf.profile(() => step.run(px, queries));
const by = {};
for (const k of prof.kernels) {
  const key = k.name + ' ' + JSON.stringify(k.inputShapes[0]);
  by[key] = by[key] ?? [0, 0];
  by[key][0]++;
  by[key][1] += k.kernelTimeMs;
}
console.log(
  'kernels',
  prof.kernels.length,
  'kernel ms',
  prof.kernels.reduce((a, k) => a + k.kernelTimeMs, 0).toFixed(0),
);
console.log(
  Object.entries(by)
    .sort((a, b) => b[1][1] - a[1][1])
    .slice(0, 25)
    .map(([k, [c, t]]) => `${t.toFixed(1)}ms x${c} ${k}`)
    .join('\n'),
);
