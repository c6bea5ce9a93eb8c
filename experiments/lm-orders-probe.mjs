// Experiment (not shipped): which orders of the untrained character language models to score
// with, on held-out episodes (paragraph support, 30-character queries): each query goes to the
// class maximising a fixed sum of the per-order mean log-likelihoods (k3 = order 3 alone, k3-7 =
// orders 3 to 7 summed).
// node experiments/lm-orders-probe.mjs [--ways 20] [--episodes 150] [--order 7] [--beta 0.5] [--support-snippet N] [--confusable]
import { meanCi95, Rng, sampleTextEpisode, snippet, charLmScores, supportByClass } from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
const args = process.argv.slice(2);
const flag = (n, d) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const episodes = flag('episodes', 150),
  ways = flag('ways', 20),
  K = flag('order', 7),
  beta = flag('beta', 0.5);
const conf = args.includes('--confusable');
const supportCut = flag('support-snippet', 0); // characters of support (0: the whole paragraph)
const corpus = await loadUdhrCorpus();
const rng = Rng.fromSeed(0, `nb ${ways} ${conf}`);
const combos = {
  k3: [0, 0, 1, 0, 0, 0, 0],
  k4: [0, 0, 0, 1, 0, 0, 0],
  k5: [0, 0, 0, 0, 1, 0, 0],
  k6: [0, 0, 0, 0, 0, 1, 0],
  k7: [0, 0, 0, 0, 0, 0, 1],
  'k3-7': [0, 0, 1, 1, 1, 1, 1],
  'k2-5': [0, 1, 1, 1, 1, 0, 0],
  'k4-6': [0, 0, 0, 1, 1, 1, 0],
};
const acc = Object.fromEntries(Object.keys(combos).map((k) => [k, []]));
for (let e = 0; e < episodes; e++) {
  const ep = sampleTextEpisode(
    corpus.heldOut,
    { ways, shots: 1, queries: 5, snippet: 0, confusable: conf },
    rng,
  );
  ep.queryTexts = ep.queryTexts.map((t) => snippet(t, 30, rng));
  if (supportCut) ep.supportTexts = ep.supportTexts.map((t) => snippet(t, supportCut, rng));
  const s = charLmScores(supportByClass(ep), ep.queryTexts, { order: K, beta });
  for (const [name, w] of Object.entries(combos)) {
    let ok = 0;
    ep.queryTexts.forEach((_, q) => {
      let b = 0,
        bs = -Infinity;
      for (let c = 0; c < ways; c++) {
        let v = 0;
        for (let k = 0; k < K; k++) v += w[k] * s[(q * ways + c) * K + k];
        if (v > bs) {
          bs = v;
          b = c;
        }
      }
      if (b === ep.queryLabels[q]) ok++;
    });
    acc[name].push(ok / ep.queryTexts.length);
  }
}
console.log(
  ways,
  conf,
  Object.entries(acc)
    .map(([k, a]) => `${k} ${(100 * meanCi95(a).mean).toFixed(1)}`)
    .join(' | '),
);
