// Experiment (not shipped): where the character-LM baseline errs on held-out 20-way episodes
// (paragraph support, 30-character queries): the most confused pairs, and how many errors have
// a query in another script than its own class's support paragraph (classes that merge
// declarations in two scripts, e.g. Azerbaijani in Latin and Cyrillic).
// node experiments/lm-err-probe.mjs [--episodes 150]
import { charLmBaseline, dominantScript, Rng, sampleTextEpisode, snippet } from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
const i = process.argv.indexOf('--episodes');
const episodes = i > 0 ? Number(process.argv[i + 1]) : 150;
const corpus = await loadUdhrCorpus();
const rng = Rng.fromSeed(0, 'err');
const pairs = new Map();
let n = 0,
  bad = 0,
  mixedErr = 0,
  mixedAll = 0;
for (let e = 0; e < episodes; e++) {
  const ep = sampleTextEpisode(
    corpus.heldOut,
    { ways: 20, shots: 1, queries: 5, snippet: 0, confusable: false },
    rng,
  );
  ep.queryTexts = ep.queryTexts.map((t) => snippet(t, 30, rng));
  const p = charLmBaseline(ep);
  p.forEach((c, q) => {
    n++;
    const truth = ep.queryLabels[q];
    const mixed =
      dominantScript(ep.queryTexts[q]) !== dominantScript(ep.supportTexts[ep.supportLabels.indexOf(truth)]);
    if (mixed) mixedAll++;
    if (c === truth) return;
    bad++;
    if (mixed) mixedErr++;
    const k = `${ep.classes[truth]}->${ep.classes[c]}`;
    pairs.set(k, (pairs.get(k) ?? 0) + 1);
  });
}
console.log(
  `errors ${bad} of ${n} (${((100 * bad) / n).toFixed(1)} %); queries in another script than their support: ${mixedAll}, of them wrong: ${mixedErr}`,
);
console.log(
  [...pairs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([k, v]) => `${k}:${v}`)
    .join(' '),
);
