// Experiment (not shipped): held-out accuracy of a trained language hypernet when its embedding
// head's logits are scaled by α before they join its language models' logits, on the eval's episodes.
// node experiments/lm-mix-probe.mjs RUN [--ways 20] [--episodes 200] [--confusable]
import { tf } from '@hypermeta/core';
import { evaluateLanguage, loadCheckpoint, meanCi95 } from '@hypermeta/core';
import { selectBackend } from '../packages/cli/dist/backend-select.js';
import { folderReader } from '../packages/cli/dist/io/checkpoint-dir.js';
import { resolveCheckpointDir } from '../packages/cli/dist/io/checkpoint-dir.js';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
const args = process.argv.slice(2);
const flag = (n, d) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
await selectBackend('node');
const { model } = await loadCheckpoint(folderReader(resolveCheckpointDir(args[0])), { optimizer: false });
const corpus = await loadUdhrCorpus();
const alphas = [0, 0.05, 0.1, 0.2, 0.35, 0.5, 1];
const acc = alphas.map(() => []);
const lmW = model.store.group('ngram')[0].dataSync();
console.log(
  'ngram/w',
  Array.from(lmW)
    .map((v) => v.toFixed(2))
    .join(' '),
);
const m = model.method;
const [lmOnly, emb] = [m.without('embedding'), m.without('ngram')];
// score each episode through the model's own eval loop, recording logits
const orig = model.queryLogits.bind(model);
model.queryLogits = (ep, method) => {
  if (method) return orig(ep, method);
  const a = orig(ep, lmOnly),
    b = orig(ep, emb);
  const labels = ep.queryLabels.dataSync();
  alphas.forEach((al, i) => {
    const pred = tf.tidy(() => tf.argMax(tf.add(a, tf.mul(b, al)), 1).dataSync());
    acc[i].push(pred.filter((p, j) => p === labels[j]).length / pred.length);
  });
  b.dispose();
  return a;
};
evaluateLanguage(model, corpus.heldOut, {
  episodes: flag('episodes', 200),
  ways: flag('ways', 20),
  shots: 1,
  queries: 5,
  snippet: 30,
  supportSnippet: 0,
  confusable: args.includes('--confusable'),
  seed: 1,
});
console.log(alphas.map((a, i) => `α ${a}: ${(100 * meanCi95(acc[i]).mean).toFixed(2)}`).join(' | '));
