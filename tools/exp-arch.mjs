import { HypernetModel, defaultModelConfig, useBackend, tf, Rng, sinusoidBatch, sampleSinusoidTask, singleTaskLatency } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
tf.env().set('PROD', true);
await useBackend('wasm');
const variants = JSON.parse(process.argv[2]);
for (const v of variants) {
  const c = defaultModelConfig();
  if (v.point) c.encoder.pointHidden = v.point;
  if (v.set) c.encoder.setHidden = v.set;
  if (v.gen) c.generator.hidden = v.gen;
  if (v.code) c.codeSize = v.code;
  const model = new HypernetModel(c, 1);
  const rng = Rng.fromSeed(1, 'x'); const noise = Rng.fromSeed(2, 'n');
  const times = [];
  for (let i = 0; i < 6; i++) {
    const b = sinusoidBatch(Array.from({ length: 1000 }, () => sampleSinusoidTask(rng)), 5, 1, rng);
    const t0 = performance.now();
    const theta = model.adapt(b, noise); theta.forEach((t) => t.dataSync()); tf.dispose(theta);
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  if (v.prof) { const b = sinusoidBatch(Array.from({ length: 1000 }, () => sampleSinusoidTask(rng)), 5, 1, rng); const p = await tf.profile(() => { const th = model.adapt(b, noise); return th; }); console.log(p.kernels.map(k => `${k.name} ${k.kernelTimeMs.toFixed(2)} ${JSON.stringify(k.inputShapes)}`).join('\n')); }
  console.log(JSON.stringify(v), 'params', model.store.variables.reduce((a, x) => a + x.size, 0), 'batch1000 us/task', (times[2]).toFixed(1), 'single ms', singleTaskLatency(model, 5, 1).toFixed(3));
}
