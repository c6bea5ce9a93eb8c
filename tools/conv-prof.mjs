import { tf, useBackend, Rng } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend('wasm');
const { conv4Shapes, initConv4, conv4Embed } = await import('../packages/core/dist/index.js');
const filters = Number(process.argv[2] ?? 32), n = Number(process.argv[3] ?? 100);
const shapes = conv4Shapes(filters);
const ws = initConv4(shapes, Rng.fromSeed(1)).map((v, i) => tf.variable(tf.tensor(v, shapes[i].shape)));
const x = tf.randomUniform([n, 28, 28, 1]);
const step = () => { const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(conv4Embed(ws, x))), ws); value.dataSync(); tf.dispose([value, ...Object.values(grads)]); };
step();
const prof = await tf.profile(step);
const by = {};
for (const k of prof.kernels) { by[k.name] = by[k.name] ?? [0, 0]; by[k.name][0]++; by[k.name][1] += k.kernelTimeMs; }
console.log('total', prof.kernels.reduce((a, k) => a + k.kernelTimeMs, 0).toFixed(0), 'ms');
console.log(Object.entries(by).sort((a, b) => b[1][1] - a[1][1]).slice(0, 14).map(([k, [c, t]]) => `${k} x${c} ${t.toFixed(1)}ms`).join('\n'));
