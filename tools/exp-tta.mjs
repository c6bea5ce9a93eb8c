// Experiment (not shipped): test-time augmentation of the support set — K jittered views per support image as extra shots.
import { tf, useBackend, loadCheckpoint, sampleEpisode, episodeTensors, disposeEpisode, episodeAccuracy, jitterInto, Rng, meanCi95 } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { folderReader, resolveCheckpointDir } from '../packages/cli/dist/io/checkpoint-dir.js';
import { loadOmniglotSplit } from '../packages/cli/dist/data/omniglot-split.js';
tf.env().set('PROD', true);
await useBackend('wasm');
const [dir, kList, ways = '20', episodes = '200', scaleArg = '1'] = process.argv.slice(2);
const { model } = await loadCheckpoint(folderReader(resolveCheckpointDir(dir)), { optimizer: false });
const split = await loadOmniglotSplit('/work/shared/data/omniglot', 2);
const f = Number(scaleArg);
const jit = { degrees: 10 * f, scale: 0.1 * f, shear: 0.15 * f, shift: 0.08 * f };
for (const K of kList.split(',').map(Number)) {
  const rng = Rng.fromSeed(1, 'fewshot-eval');
  const jr = Rng.fromSeed(7, 'tta');
  const accs = [];
  for (let i = 0; i < Number(episodes); i++) {
    const e = sampleEpisode(split.test, { ways: Number(ways), shots: 1, queries: 5, rng });
    const P = e.size * e.size;
    const n = e.ways;
    const sup = new Float32Array(n * (K + 1) * P);
    for (let c = 0; c < n; c++) {
      const src = e.support.subarray(c * P, (c + 1) * P);
      sup.set(src, c * (K + 1) * P);
      for (let k = 1; k <= K; k++) jitterInto(src, sup.subarray((c * (K + 1) + k) * P, (c * (K + 1) + k + 1) * P), e.size, jr, jit);
    }
    const ep = episodeTensors({ ...e, shots: K + 1, support: sup, supportShape: [n * (K + 1), e.size, e.size, 1] });
    accs.push(episodeAccuracy(model, ep));
    disposeEpisode(ep);
  }
  const { mean, ci95 } = meanCi95(accs);
  console.log(JSON.stringify({ K, ways, f, acc: mean.toFixed(4), ci95: ci95.toFixed(4) }));
}
