import { tf, useBackend, Rng, conv4Shapes, initConv4, conv4Embed } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend('wasm');
function plain(weights, images) {
  let h = images;
  for (let i = 0; i < 4; i++) {
    const [w, gamma, beta] = weights.slice(3 * i, 3 * i + 3);
    const z = tf.conv2d(h, w, 1, 'same');
    const { mean, variance } = tf.moments(z, [0, 1, 2]);
    const normed = tf.add(tf.mul(tf.sub(z, mean), tf.mul(gamma, tf.rsqrt(tf.add(variance, 1e-5)))), beta);
    h = tf.maxPool(tf.relu(normed), 2, 2, 'valid');
  }
  return tf.reshape(h, [images.shape[0], -1]);
}
const shapes = conv4Shapes(32);
const ws = initConv4(shapes, Rng.fromSeed(1)).map((v, i) => tf.variable(tf.tensor(v, shapes[i].shape)));
const x = tf.randomUniform([100, 28, 28, 1]);
const step = (f) => { const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(f(ws, x))), ws); value.dataSync(); tf.dispose([value, ...Object.values(grads)]); };
const t = { plain: 0, ours: 0 };
for (let r = 0; r < 6; r++) for (const [k, f] of [['plain', plain], ['ours', conv4Embed]]) { const t0 = performance.now(); step(f); if (r > 0) t[k] += performance.now() - t0; }
console.log('ms/step plain', (t.plain / 5).toFixed(0), 'ours', (t.ours / 5).toFixed(0));
