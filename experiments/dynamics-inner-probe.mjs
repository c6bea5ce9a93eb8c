// Test-time gradient steps on a dynamics hypernet's generated weights: for each STEPS:LR[:K],
// generates from the context, takes STEPS plain gradient steps on the context's one-step error,
// and prints the in-range held-out errors (the same variations and windows as `hypermeta eval`).
// Usage: node experiments/dynamics-inner-probe.mjs RUN SUITE_DIR 0:0 3:0.01 3:0.03:32 …
import * as tf from '@tensorflow/tfjs-core';
import { evaluateDynamicsSet, perTaskMse } from '@hypermeta/core';
import '../packages/cli/dist/families/index.js';
import { selectBackend } from '../packages/cli/dist/backend-select.js';
import { loadForInference } from '../packages/cli/dist/commands/load-model.js';
import { loadDynamicsData } from '../packages/cli/dist/families/dynamics/dynamics-data-source.js';

const [run, suiteDir, ...settings] = process.argv.slice(2);
await selectBackend('wasm');
const { model } = await loadForInference(run);
const c = model.config;
const data = await loadDynamicsData(c, { suiteDir });
const m = model.method;
const baseAdapt = m.adapt.bind(m);
for (const s of settings) {
  const [steps, lr, K] = s.split(':').map(Number);
  m.adapt = (w, ctx) => {
    const theta = baseAdapt(w, ctx);
    if (!steps) return theta;
    const loss = (vs) => tf.sum(perTaskMse(m.taskNet.forward(vs, ctx.x), ctx.y));
    let cur = theta;
    for (let i = 0; i < steps; i++) {
      const next = tf.tidy(() => {
        const g = tf.grads((...vs) => loss(vs))(cur);
        return cur.map((v, j) => tf.sub(v, tf.mul(g[j], lr)));
      });
      if (cur !== theta) tf.dispose(cur);
      cur = next;
    }
    tf.dispose(theta);
    return cur;
  };
  const t0 = Date.now();
  const r = evaluateDynamicsSet(model, data, 'eval', {
    context: K || c.context,
    horizons: [10, 30],
    rolloutStarts: 8,
    extrapolation: false,
    seed: c.data.seed,
  });
  console.log(
    JSON.stringify({
      steps,
      lr,
      K: K || c.context,
      one: +r.oneStepNmse.toFixed(4),
      h10: +r.horizonNmse.h10.toFixed(4),
      h30: +r.horizonNmse.h30.toFixed(4),
      s: (Date.now() - t0) / 1000,
    }),
  );
}
