// Experiment driver (not shipped): meta-train an Omniglot method for a time budget and evaluate.
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
  pretrainClassCount,
} from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { defaultCacheDir, loadOmniglot } from '@hypermeta/cli';
const over = JSON.parse(process.argv[2] ?? '{}');
tf.env().set('PROD', true);
await useBackend(over.backend ?? 'wasm');
// The data folder: HYPERMETA_OMNIGLOT, else ../shared/data/omniglot beside the repository.
const dataDir =
  process.env.HYPERMETA_OMNIGLOT ?? new URL('../../shared/data/omniglot', import.meta.url).pathname;
const set = await loadOmniglot(dataDir, { cacheDir: defaultCacheDir() });
const mc = { ...defaultOmniglotConfig(over.method ?? 'hypernet'), ...(over.model ?? {}) };
const split = splitByAlphabet(set, mc.heldOutAlphabets);
mc.pretrainClasses = pretrainClassCount(split.train, mc.rotations, mc.reflections);
const tc = {
  ...defaultTrainConfig(),
  steps: 100000,
  metaBatch: 1,
  shotsMin: 1,
  shotsMax: 5,
  queries: 5,
  lr: 1e-3,
  warmup: 20,
  ...(over.train ?? {}),
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
const budget = (over.seconds ?? 120) * 1000;
const t0 = performance.now();
let avg = 0;
console.log(
  'train classes',
  split.train.classes.length,
  'test',
  split.test.classes.length,
  split.testAlphabets,
);
while (performance.now() - t0 < budget && trainer.step < tc.steps) {
  const r = trainer.runStep();
  avg = trainer.step === 1 ? r.loss : 0.95 * avg + 0.05 * r.loss;
  if (trainer.step % 50 === 0)
    console.log(
      `step ${trainer.step} loss ${avg.toFixed(3)} ${(trainer.step / ((performance.now() - t0) / 1000)).toFixed(2)} steps/s`,
    );
  if (over.evalEvery && trainer.step % over.evalEvery === 0) {
    const r = evaluateFewShot(model, split.test, { episodes: 100, ways: 20, shots: 1, queries: 5, seed: 3 });
    console.log(`eval step ${trainer.step} 20w1s ${r.accuracy.toFixed(4)}`);
  }
}
console.log('trained', trainer.step, 'steps in', ((performance.now() - t0) / 1000).toFixed(0), 's');
for (const [ways, shots] of [
  [5, 1],
  [20, 1],
]) {
  const r = evaluateFewShot(model, split.test, {
    episodes: over.episodes ?? 200,
    ways,
    shots,
    queries: 5,
    seed: 7,
  });
  console.log(
    JSON.stringify({
      ways,
      shots,
      acc: r.accuracy.toFixed(4),
      ci95: r.ci95.toFixed(4),
      ms: r.msPerEpisode.toFixed(1),
    }),
  );
}
