// How long one conv4 forward+backward takes on N images (for choosing widths and budgets).
import { tf, useBackend, Rng } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend(process.argv[2] ?? 'wasm');
const { conv4Shapes, initConv4, conv4Embed } = await import('../packages/core/dist/index.js');
for (const filters of [32, 64]) for (const n of [100, 320]) {
  const shapes = conv4Shapes(filters);
  const ws = initConv4(shapes, Rng.fromSeed(1)).map((v, i) => tf.variable(tf.tensor(v, shapes[i].shape)));
  const x = tf.randomUniform([n, 28, 28, 1]);
  const step = () => { const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(conv4Embed(ws, x))), ws); value.dataSync(); tf.dispose([value, ...Object.values(grads)]); };
  step();
  const t0 = performance.now(); for (let i = 0; i < 3; i++) step();
  console.log(`filters ${filters} images ${n}: ${((performance.now() - t0) / 3).toFixed(0)} ms fwd+bwd`);
}
