import { HypernetModel, defaultModelConfig, useBackend, tf, Rng, sinusoidBatch, sampleSinusoidTask, denseIsFused } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend('wasm');
console.log('fused?', denseIsFused());
const model = new HypernetModel(defaultModelConfig(), 1);
const rng = Rng.fromSeed(1, 'x');
for (const T of [1, 7]) {
  const b = sinusoidBatch(Array.from({ length: T }, () => sampleSinusoidTask(rng)), 5, 10, rng);
  const p1 = model.predict(b, rng).arraySync();
  // The same under a tape (unfused path)
  let p2;
  tf.grad((v) => { const p = model.predict(b, rng); p2 = p.arraySync(); return tf.sum(tf.mul(v, 0)); })(tf.scalar(1));
  let maxd = 0; const f1 = p1.flat(3), f2 = p2.flat(3);
  for (let i = 0; i < f1.length; i++) maxd = Math.max(maxd, Math.abs(f1[i] - f2[i]));
  console.log('T', T, 'max |fused - unfused|', maxd, 'sample', f1[0], f2[0]);
}
const before = tf.memory().numTensors;
for (let i = 0; i < 10; i++) { const b = sinusoidBatch([sampleSinusoidTask(rng)], 5, 10, rng); tf.dispose(model.predict(b, rng)); tf.dispose([b.supportX, b.supportY, b.queryX, b.queryY]); }
console.log('tensor growth', tf.memory().numTensors - before);
const k = await tf.profile(() => model.predict(sinusoidBatch([sampleSinusoidTask(rng)], 5, 10, rng), rng));
console.log('kernels', k.kernels.length, k.kernels.map((x) => x.name).join(' '));
