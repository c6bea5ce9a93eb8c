// Experiment driver (not shipped): the fully generated task network against protonet, first-order
// MAML and the head-only hypernet at the same task-network width C, trained for the same steps on
// the same episodes, evaluated on the same held-out episodes. One JSON line per run.
//   node experiments/generated-vs-size.mjs '{"sizes":[4,8],"methods":["generated","protonet"],"steps":600}'
// "backend": "node" runs on tfjs-node (TensorFlow's own threads) instead of wasm (one thread).
import { appendFileSync } from 'node:fs';
import {
  tf,
  useBackend,
  FewShotModel,
  FewShotLearner,
  MetaTrainer,
  defaultOmniglotConfig,
  defaultTrainConfig,
  splitByAlphabet,
  evaluateFewShot,
  imageEpisodeSource,
  sampleEpisode,
  episodeTensors,
  disposeEpisode,
  Rng,
  conv4ForwardFlops,
  linearLogits,
  prototypes,
} from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { defaultCacheDir, loadOmniglot, selectBackend } from '@hypermeta/cli';

const o = {
  sizes: [4, 8],
  methods: ['generated', 'protonet', 'maml', 'hypernet'],
  steps: 600,
  seed: 1,
  trainWays: 20,
  queries: 5,
  // The generator's feature extractor width and hidden width (generated only).
  extractor: 32,
  generatorHidden: [64],
  evals: [{ ways: 20, shots: 1 }],
  episodes: 600,
  out: null,
  backend: 'wasm',
  ...JSON.parse(process.argv[2] ?? '{}'),
};
tf.env().set('PROD', true);
if (o.backend === 'wasm') await useBackend('wasm');
else await selectBackend(o.backend);
const dataDir =
  process.env.HYPERMETA_OMNIGLOT ?? new URL('../../shared/data/omniglot', import.meta.url).pathname;
const set = await loadOmniglot(dataDir, { cacheDir: defaultCacheDir() });

/** The adapted network of every method here is a conv4 of width C plus a [ways, C] classifier. */
function adaptedCost(C, ways) {
  let params = 0;
  for (let i = 0; i < 4; i++) params += 9 * (i === 0 ? 1 : C) * C + 2 * C;
  params += ways * (C + 1);
  return {
    adaptedParams: params,
    weightBytes: 4 * params,
    flopsPerQuery: conv4ForwardFlops(C, 1) + 2 * ways * C,
    activationBytesPerQuery: 4 * 28 * 28 * C,
  };
}

function modelConfig(method, C) {
  const base = defaultOmniglotConfig(method);
  const c = { ...base, trainWays: o.trainWays };
  if (method === 'generated')
    return {
      ...c,
      filters: o.extractor,
      taskFilters: C,
      generatorHidden: o.generatorHidden,
      ...(o.generated ?? {}),
    };
  return { ...c, filters: C, ...(o[method] ?? {}) };
}

/**
 * How much the generated conv kernels depend on the support set: over held-out episodes, the
 * spread of each layer's kernels around their mean, relative to the mean's norm (0: one fixed
 * network whatever the support set). The task network's batch norms undo a channel's scale, so
 * each output channel's kernel is normalised first.
 */
function kernelSpread(model, set, part = 'w', episodes = 40) {
  const rng = Rng.fromSeed(5, 'spread');
  const perLayer = [];
  for (let i = 0; i < episodes; i++) {
    const ep = episodeTensors(sampleEpisode(set, { ways: 20, shots: 1, queries: 1, rng }));
    const ks = tf.tidy(() =>
      model.method.generate(model, ep).layers.map((l) => {
        if (part !== 'w') return Array.from(l[part].dataSync());
        const w = tf.reshape(l.w, [-1, l.w.shape[3]]);
        return tf
          .div(w, tf.norm(w, 2, 0, true))
          .arraySync()
          .flat();
      }),
    );
    ks.forEach((k, l) => (perLayer[l] ??= []).push(k));
    disposeEpisode(ep);
  }
  return perLayer.map((ks) => {
    const mean = ks[0].map((_, j) => ks.reduce((a, k) => a + k[j], 0) / ks.length);
    const dev = ks.reduce((a, k) => a + k.reduce((b, v, j) => b + (v - mean[j]) ** 2, 0), 0) / ks.length;
    return +Math.sqrt(dev / mean.reduce((a, v) => a + v * v, 0)).toFixed(3);
  });
}

/**
 * Ablation: held-out accuracy when each episode's conv layers are written from another episode's
 * support set (same ways and shots) while its classifier is still written from its own support
 * set (under those layers). Near the normal accuracy: the conv layers' dependence on the support
 * set does not matter; far below: it does.
 */
function swappedAccuracy(model, set, ways, shots, episodes) {
  const rng = Rng.fromSeed(1, 'fewshot-eval');
  const m = model.method;
  let correct = 0;
  let total = 0;
  for (let i = 0; i < episodes; i++) {
    const draw = () => episodeTensors(sampleEpisode(set, { ways, shots, queries: 5, rng }));
    const [a, b] = [draw(), draw()];
    const [c, n] = tf.tidy(() => {
      const { layers } = m.generate(model, b);
      const ns = a.support.shape[0];
      const feats = m.taskNet.features(layers, tf.concat([a.support, a.query]), ns);
      const context = prototypes(model.embedImages(model.backbone(), a.support), ways, shots);
      const head = m.head(model, tf.slice(feats, 0, ns), context, a);
      const logits = linearLogits(tf.slice(feats, ns), head.w, head.b);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), a.queryLabels), 'float32'));
      return [hits.dataSync()[0], logits.shape[0]];
    });
    correct += c;
    total += n;
    disposeEpisode(a);
    disposeEpisode(b);
  }
  return +((100 * correct) / total).toFixed(2);
}

for (const C of o.sizes) {
  for (const method of o.methods) {
    const mc = modelConfig(method, C);
    const split = splitByAlphabet(set, mc.heldOutAlphabets);
    const tc = {
      ...defaultTrainConfig(),
      steps: o.steps,
      metaBatch: 2,
      shotsMin: 1,
      shotsMax: 1,
      queries: o.queries,
      lr: 2e-3,
      warmup: 50,
      seed: o.seed,
    };
    const model = new FewShotModel(mc, tc.seed);
    const source = imageEpisodeSource(split.train, {
      ways: mc.trainWays,
      rotations: mc.rotations,
      reflections: mc.reflections,
      withinAlphabet: mc.withinAlphabet,
      augment: mc.augment,
    });
    const trainer = new MetaTrainer(new FewShotLearner(model, source, tc), tc);
    const t0 = performance.now();
    let avg = 0;
    while (trainer.step < tc.steps) {
      const r = trainer.runStep();
      avg = trainer.step === 1 ? r.loss : 0.98 * avg + 0.02 * r.loss;
      if (trainer.step % 100 === 0)
        console.error(`${method} C=${C} step ${trainer.step} loss ${avg.toFixed(3)}`);
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    const results = o.evals.map(({ ways, shots }) => {
      const t1 = performance.now();
      const r = evaluateFewShot(model, split.test, {
        episodes: o.episodes,
        ways,
        shots,
        queries: 5,
        seed: 1,
      });
      return {
        ways,
        shots,
        accuracy: +(100 * r.accuracy).toFixed(2),
        ci95: +(100 * r.ci95).toFixed(2),
        msPerEpisode: +r.msPerEpisode.toFixed(1),
        evalSeconds: +((performance.now() - t1) / 1000).toFixed(1),
        ...adaptedCost(C, ways),
      };
    });
    const line = JSON.stringify({
      method,
      C,
      seed: o.seed,
      steps: tc.steps,
      backend: o.backend,
      trainWays: mc.trainWays,
      queries: o.queries,
      trainLoss: +avg.toFixed(3),
      trainSeconds: +trainSeconds.toFixed(1),
      storedParams: model.store.variables.reduce((n, v) => n + v.size, 0),
      ...(method === 'generated'
        ? {
            extractor: mc.filters,
            generatorHidden: mc.generatorHidden,
            kernelSpread: kernelSpread(model, split.test),
            gammaSpread: kernelSpread(model, split.test, 'gamma'),
            betaSpread: kernelSpread(model, split.test, 'beta'),
            ...(o.swap ? { swapped20way1shot: swappedAccuracy(model, split.test, 20, 1, o.swap) } : {}),
          }
        : {}),
      results,
    });
    console.log(line);
    if (o.out) appendFileSync(o.out, line + '\n');
    trainer.dispose();
    model.dispose();
  }
}
