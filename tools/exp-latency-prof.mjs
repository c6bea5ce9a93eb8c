// Experiment (not shipped): where one-task adaptation spends its time (run with --cpu-prof).
import { HypernetModel, defaultModelConfig, useBackend, tf, Rng, sinusoidBatch, sampleSinusoidTask, disposeBatch } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend('wasm');
const model = new HypernetModel(defaultModelConfig(), 1);
const rng = Rng.fromSeed(1, 'x');
const batch = sinusoidBatch([sampleSinusoidTask(rng)], 5, 10, rng);
const n = Number(process.argv[2] ?? 20000);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const p = model.predict(batch, rng); p.dataSync(); p.dispose(); }
  console.log('predict ms', ((performance.now() - t0) / n).toFixed(4));
}
const a = tf.tensor2d([[1, 2]]); const b = tf.tensor2d([[3, 4]]);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(() => { let x = a; for (let k = 0; k < 10; k++) x = tf.add(x, b); return undefined; });
  console.log('tiny add µs', ((performance.now() - t0) / n / 10 * 1000).toFixed(2));
}
const k = await tf.profile(() => { const p = model.predict(batch, rng); return p; });
console.log('kernels', k.kernels.length, k.kernels.map((x) => x.name).join(' '));
