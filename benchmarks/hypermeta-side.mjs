// hypermeta's half of the side-by-side benchmark with PyTorch (benchmarks/peer.mjs drives it).
// Started once per thread count: `node benchmarks/hypermeta-side.mjs --backend node`; it reads one
// JSON request per line on stdin and answers one JSON line on stdout (everything else goes to
// stderr), so the runner can alternate it with the PyTorch process while both stay warm.
//
// Each figure is the product's own code path:
//   conv4Step    one Omniglot meta-step as training runs it with one episode per thread: the
//                FewShotModel's episode gradient (conv4 with support-statistics batch norm, the
//                hypernet head, cross-entropy plus the auxiliary prototype loss; loss and flat
//                gradient read back), clipping by global norm, one Adam update
//   sinusoidT*   MetaTrainer.runStep of the default sinusoid model (tasks drawn, forward, backward,
//                clipping, Adam), tasks per second
//   adaptOne     singleTaskLatency's protocol: adapt to one 5-shot task and predict 10 points
//   adapt1000    1,000 5-shot tasks adapted in one batch, θ read back
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  Adam,
  clipByGlobalNorm,
  defaultModelConfig,
  defaultOmniglotConfig,
  defaultTrainConfig,
  disposeBatch,
  drawSinusoidTasks,
  FewShotModel,
  HypernetModel,
  median,
  MetaTrainer,
  Rng,
  sinusoidFamily,
  tf,
  useBackend,
} from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import '@hypermeta/backend-node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

tf.env().set('PROD', true);
const backend = await useBackend(arg('--backend', 'wasm'));

/** Random binary 28×28 images from a seeded stream (as `hypermeta bench`'s conv4 step). */
function randomImages(n, seed) {
  return Rng.fromSeed(seed, 'bench-images').fill(n * 784, (r) => (r.uniform() < 0.2 ? 1 : 0));
}

/** One Omniglot meta-step of one episode: ways classes, 1 support and `queries` queries each. */
class Conv4Step {
  constructor({ ways, queries, filters, seed }) {
    this.model = new FewShotModel({ ...defaultOmniglotConfig('hypernet'), filters }, seed);
    this.adam = new Adam(this.model.store.variables);
    const n = ways * (1 + queries);
    const pixels = randomImages(n, seed);
    this.episode = {
      ways,
      shots: 1,
      support: pixels.subarray(0, ways * 784),
      supportShape: [ways, 28, 28, 1],
      query: pixels.subarray(ways * 784),
      queryShape: [n - ways, 28, 28, 1],
      queryLabels: Int32Array.from({ length: n - ways }, (_, i) => i % ways),
    };
  }

  /** The split step's path for one part (MetaTrainer.runSplitStep): returns the loss and the gradient norm. */
  step(lr, clipNorm = 10) {
    const { loss, grad } = this.model.episodeGradient(this.episode);
    const clipped = tf.tidy(() => clipByGlobalNorm([tf.tensor1d(grad)], clipNorm));
    const norm = clipped.norm.dataSync()[0];
    this.adam.applyFlat(clipped.flat, lr);
    tf.dispose([clipped.flat, clipped.norm]);
    return { loss, norm };
  }

  dispose() {
    this.adam.dispose();
    this.model.dispose();
  }
}

/** The default sinusoid hypernetwork and its trainer at meta-batch T. */
function sinusoidTrainer(T, seed) {
  const model = new HypernetModel(defaultModelConfig('sinusoid'), seed);
  const config = { ...defaultTrainConfig(), metaBatch: T, seed };
  const trainer = new MetaTrainer(sinusoidFamily.learner(model, undefined, config), config);
  return {
    model,
    trainer,
    dispose: () => {
      trainer.dispose();
      model.dispose();
    },
  };
}

/** Calls `fn` until `minMs` have passed (at least `minCalls` times): ms per call. */
function msPerCall(fn, minMs, minCalls = 1) {
  let calls = 0;
  const t0 = performance.now();
  while (calls < minCalls || performance.now() - t0 < minMs) {
    fn();
    calls++;
  }
  return (performance.now() - t0) / calls;
}

const state = new Map();
/** Warm state per figure and size, built (and warmed up) on first use. */
function cached(key, make) {
  if (!state.has(key)) state.set(key, make());
  return state.get(key);
}

const figures = {
  /** Median ms of `reps` steps (3 untimed steps the first time). */
  conv4Step(o) {
    const s = cached(`conv4:${o.ways}:${o.queries}:${o.filters}`, () => {
      const step = new Conv4Step({ ...o, seed: 1 });
      for (let i = 0; i < (o.warmup ?? 3); i++) step.step(1e-4);
      return step;
    });
    const times = [];
    for (let i = 0; i < o.reps; i++) {
      const t0 = performance.now();
      s.step(1e-4);
      times.push(performance.now() - t0);
    }
    return { ms: median(times), unit: 'ms/step' };
  },
  /** Meta-training tasks/s at meta-batch T over at least `minMs`. */
  sinusoid(o) {
    const s = cached(`sinusoid:${o.T}`, () => {
      const t = sinusoidTrainer(o.T, 1);
      for (let i = 0; i < (o.warmup ?? 50); i++) t.trainer.runStep();
      return t;
    });
    const ms = msPerCall(() => s.trainer.runStep(), o.minMs, 3);
    return { ms, tasksPerS: (1000 * o.T) / ms, unit: 'ms/step' };
  },
  /** Median ms of adapting to one task and predicting 10 points, read back. */
  adaptOne(o) {
    const s = cached('adapt', () => ({
      model: new HypernetModel(defaultModelConfig('sinusoid'), 1),
      rng: Rng.fromSeed(1, 'latency'),
      warm: false,
    }));
    const run = () => {
      const batch = drawSinusoidTasks(1, o.shots, 10, s.rng);
      const t0 = performance.now();
      const pred = s.model.predict(batch, s.rng);
      pred.dataSync();
      const ms = performance.now() - t0;
      pred.dispose();
      disposeBatch(batch);
      return ms;
    };
    // V8 optimises tfjs's dispatch path over the first few hundred calls (singleTaskLatency's 500).
    if (!s.warm) for (let i = 0; i < (o.warmup ?? 500); i++) run();
    s.warm = true;
    return { ms: median(Array.from({ length: o.reps }, run)), unit: 'ms/task' };
  },
  /** Median ms of adapting `tasks` tasks in one batch (θ read back); µs per task. */
  adaptBatch(o) {
    const s = cached('adapt', () => ({
      model: new HypernetModel(defaultModelConfig('sinusoid'), 1),
      rng: Rng.fromSeed(1, 'latency'),
      warm: false,
    }));
    const rng = Rng.fromSeed(1, 'bench-batch');
    const run = () => {
      const batch = drawSinusoidTasks(o.tasks, o.shots, 1, rng);
      const t0 = performance.now();
      const theta = s.model.adapt(batch, s.rng);
      theta.forEach((t) => t.dataSync());
      const ms = performance.now() - t0;
      tf.dispose(theta);
      disposeBatch(batch);
      return ms;
    };
    for (let i = 0; i < (o.warmup ?? 1); i++) run();
    const ms = median(Array.from({ length: o.reps }, run));
    return { ms, usPerTask: (1000 * ms) / o.tasks, unit: 'ms/batch' };
  },
};

/** Flat little-endian float32 files plus a JSON index, for the PyTorch side's equivalence check. */
function writeArrays(path, arrays) {
  const index = [];
  let at = 0;
  for (const { name, shape, values } of arrays) {
    index.push({ name, shape, offset: at, length: values.length });
    at += values.length;
  }
  const all = new Float32Array(at);
  arrays.forEach((a, i) => all.set(a.values, index[i].offset));
  writeFileSync(`${path}.bin`, Buffer.from(all.buffer));
  return index;
}

const storeArrays = (store) =>
  store.shapes.map((s, i) => ({
    name: s.name,
    shape: s.shape,
    values: store.variables[i].dataSync().slice(),
  }));

/**
 * Weights and inputs of each computation, and the numbers hypermeta computes from them: the loss
 * before and after one clipped Adam step (conv4, sinusoid training) and the adapted predictions.
 */
function exportCheck(o) {
  const lr = 1e-3;
  // conv4 meta-step
  const c = new Conv4Step({ ...o.conv4, seed: 1 });
  const conv4Weights = storeArrays(c.model.store);
  const first = c.step(lr);
  const second = c.step(lr);
  const e = c.episode;
  const conv4 = {
    ...o.conv4,
    lr,
    clipNorm: 10,
    protoLoss: c.model.config.protoLoss,
    loss0: first.loss,
    norm0: first.norm,
    loss1: second.loss,
    arrays: writeArrays(`${o.dir}/conv4`, [
      ...conv4Weights,
      { name: 'input/support', shape: e.supportShape, values: e.support },
      { name: 'input/query', shape: e.queryShape, values: e.query },
      { name: 'input/labels', shape: [e.queryLabels.length], values: Float32Array.from(e.queryLabels) },
    ]),
  };
  c.dispose();
  // sinusoid meta-step (a fixed batch) and adaptation
  const model = new HypernetModel(defaultModelConfig('sinusoid'), 1);
  const weights = storeArrays(model.store);
  const rng = Rng.fromSeed(1, 'peer-check');
  const batch = drawSinusoidTasks(o.sinusoid.T, o.sinusoid.shots, o.sinusoid.queries, rng);
  const pred = model.predict(batch, rng);
  const predValues = pred.dataSync().slice();
  pred.dispose();
  const adam = new Adam(model.store.variables);
  const lossAt = () => {
    const objective = model.objective(batch, rng);
    const { value, grads } = tf.variableGrads(objective.loss, model.store.variables);
    const ordered = model.store.variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
    const clipped = clipByGlobalNorm(ordered, 10);
    const loss = value.dataSync()[0];
    const norm = clipped.norm.dataSync()[0];
    adam.applyFlat(clipped.flat, lr);
    tf.dispose([value, ...Object.values(grads), clipped.flat, clipped.norm]);
    objective.dispose();
    return { loss, norm };
  };
  const s0 = lossAt();
  const s1 = lossAt();
  const inputs = ['supportX', 'supportY', 'queryX', 'queryY'].map((k) => ({
    name: `input/${k}`,
    shape: batch[k].shape,
    values: batch[k].dataSync().slice(),
  }));
  const sinusoid = {
    ...o.sinusoid,
    lr,
    clipNorm: 10,
    loss0: s0.loss,
    norm0: s0.norm,
    loss1: s1.loss,
    arrays: writeArrays(`${o.dir}/sinusoid`, [
      ...weights,
      ...inputs,
      { name: 'output/prediction', shape: [o.sinusoid.T, o.sinusoid.queries, 1], values: predValues },
    ]),
  };
  adam.dispose();
  disposeBatch(batch);
  model.dispose();
  const index = { backend, conv4, sinusoid };
  writeFileSync(`${o.dir}/check.json`, JSON.stringify(index, null, 1));
  return index;
}

const reply = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
reply({ ready: true, backend, threads: process.env.HYPERMETA_NODE_THREADS ?? null });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const req = JSON.parse(line);
    if (req.cmd === 'quit') break;
    if (req.cmd === 'export') reply({ ok: true, ...exportCheck(req) });
    else if (figures[req.cmd]) reply({ ok: true, ...figures[req.cmd](req) });
    else throw new Error(`unknown request ${req.cmd}`);
  } catch (e) {
    reply({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
process.exit(0);
