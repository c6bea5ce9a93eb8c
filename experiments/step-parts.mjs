// The sinusoid meta-step in parts, and what they imply for "batched ≥ 10× the per-task loop at
// T = 16": node experiments/step-parts.mjs [shots] [queries]. Medians of 200 calls after 20 warm-ups.
import {
  HypernetModel,
  sinusoidFamily,
  useBackend,
  tf,
  Adam,
  clipByGlobalNorm,
  sampleSinusoidTask,
  sinusoidBatch,
  disposeBatch,
  taskStreams,
} from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend('wasm');
const shots = Number(process.argv[2] ?? 8),
  queries = Number(process.argv[3] ?? 20);
const median = (f, n = 200) => {
  for (let i = 0; i < 20; i++) f();
  const ts = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[n >> 1];
};
const config = sinusoidFamily.defaultModelConfig('hypernet');
const model = new HypernetModel(config, 1);
const vars = model.store.variables;
const P = vars.reduce((a, v) => a + v.size, 0);

// Fixed per-step cost: clip the flat gradient (and read its norm back), one Adam update.
const adam = new Adam(vars);
const grads = vars.map((v) => tf.randomNormal(v.shape, 0, 1e-3));
const clipMs = median(() => {
  const c = clipByGlobalNorm(grads, 10);
  c.norm.dataSync();
  tf.dispose([c.flat, c.norm]);
});
const flat = tf.randomNormal([P], 0, 1e-3);
const adamMs = median(() => adam.applyFlat(flat, 1e-7));

// The model's forward + backward on T tasks at once.
const { train, noise } = taskStreams(1);
const pass = {};
for (const T of [1, 16]) {
  const batch = sinusoidBatch(
    Array.from({ length: T }, () => sampleSinusoidTask(train)),
    shots,
    queries,
    train,
  );
  pass[T] = median(() => {
    const o = model.objective(batch, noise);
    const r = tf.variableGrads(o.loss, vars);
    tf.dispose([r.value, ...Object.values(r.grads)]);
    o.dispose();
  });
  disposeBatch(batch);
}

// Multiply-adds of one task: every dense layer's forward, weight gradient and input gradient
// (none for a layer whose input is data: the encoder's first, the task network's first).
const { taskNet, encoder, codeSize, generator } = config;
const chain = (sizes) => sizes.slice(1).map((n, i) => sizes[i] * n);
const taskParams =
  chain(taskNet.sizes).reduce((a, m) => a + m, 0) + taskNet.sizes.slice(1).reduce((a, n) => a + n, 0);
const layers = [
  ...chain([2, ...encoder.pointHidden]).map((m, i) => [shots * m, i === 0]),
  ...chain([encoder.pointHidden.at(-1), ...encoder.setHidden, codeSize]).map((m) => [m, false]),
  ...chain([codeSize, ...generator.hidden, taskParams]).map((m) => [m, false]),
  ...chain(taskNet.sizes).map((m, i) => [queries * m, i === 0]),
];
const macs = layers.reduce((a, [m, dataInput]) => a + m * (dataInput ? 2 : 3), 0);
const a = tf.randomNormal([1024, 1024]);
const peak = Math.min(
  ...[0, 1, 2, 3]
    .map(() => {
      const t0 = performance.now();
      const c = tf.matMul(a, a);
      c.dataSync();
      const t = performance.now() - t0;
      c.dispose();
      return t;
    })
    .slice(1),
);
const gflops = (2 * 1024 ** 3) / (peak * 1e6);
const flopMs = (2 * macs) / (gflops * 1e6);

const F = clipMs + adamMs;
const perTask16 = F + 16 * pass[1];
const f = (x) => x.toFixed(3);
console.log(`parameters ${P}; shots ${shots}, queries ${queries}`);
console.log(`fixed per step: clip ${f(clipMs)} ms + Adam ${f(adamMs)} ms = ${f(F)} ms`);
console.log(`forward+backward: T=1 ${f(pass[1])} ms, T=16 ${f(pass[16])} ms`);
console.log(
  `one task: ${(macs / 1e6).toFixed(3)} M multiply-adds = ${f(flopMs)} ms at the matMul peak (${gflops.toFixed(1)} GFLOP/s)`,
);
console.log(
  `per-task loop at T=16 ≈ F + 16 × pass(1) = ${f(perTask16)} ms; batched now ≈ F + pass(16) = ${f(F + pass[16])} ms (${(perTask16 / (F + pass[16])).toFixed(1)}×)`,
);
console.log(
  `10× needs the batched step ≤ ${f(perTask16 / 10)} ms; the 16 tasks' FLOPs alone at peak take ${f(16 * flopMs)} ms`,
);
const bestPass = pass[1] - flopMs + 16 * flopMs;
console.log(
  `if the batched pass cost one task's pass minus its FLOPs plus 16 tasks' FLOPs at peak (${f(bestPass)} ms): ${(perTask16 / (F + bestPass)).toFixed(1)}× with this F, ${((16 * pass[1]) / bestPass).toFixed(1)}× with F = 0`,
);
