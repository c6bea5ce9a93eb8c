// Experiment (not shipped): does a second term help the untrained character language models?
// Each query goes to the class maximising (order-5 mean log-likelihood) + w · term, on held-out
// 20-way episodes (paragraph support, 30-character queries), for several w.
// --term cos: cosine of the trigram profiles (the trigram baseline's score);
// --term len: log of the class's support length in characters.
// node experiments/lm-term-probe.mjs --term cos|len [--weights 0,0.5,1] [--ways 20] [--episodes 150] [--confusable]
import {
  charLmScores,
  cosine,
  meanCi95,
  ngramProfile,
  Rng,
  sampleTextEpisode,
  snippet,
  supportByClass,
} from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
import { probeFlags } from './probe-flags.mjs';

const flags = probeFlags();
const opt = flags.value;
const episodes = Number(opt('episodes', 150));
const ways = Number(opt('ways', 20));
const term = opt('term', 'cos');
const weights = opt('weights', term === 'cos' ? '0,0.5,1,2,4' : '0,-0.02,-0.05,-0.1,-0.2,0.1')
  .split(',')
  .map(Number);
const confusable = flags.has('confusable');
const K = 5;
const corpus = await loadUdhrCorpus();
const rng = Rng.fromSeed(0, `nb ${ways} ${confusable}`);
const acc = weights.map(() => []);
for (let e = 0; e < episodes; e++) {
  const ep = sampleTextEpisode(corpus.heldOut, { ways, shots: 1, queries: 5, snippet: 0, confusable }, rng);
  ep.queryTexts = ep.queryTexts.map((t) => snippet(t, 30, rng));
  const support = supportByClass(ep);
  const lm = charLmScores(support, ep.queryTexts, { order: K });
  const protos = support.map((t) => ngramProfile(t));
  const extra = (qp, c) => (term === 'cos' ? cosine(qp, protos[c]) : Math.log(support[c].join(' ').length));
  weights.forEach((w, wi) => {
    let right = 0;
    ep.queryTexts.forEach((text, q) => {
      const qp = ngramProfile(text);
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < ways; c++) {
        const v = lm[(q * ways + c) * K + K - 1] + w * extra(qp, c);
        if (v > bestScore) [best, bestScore] = [c, v];
      }
      if (best === ep.queryLabels[q]) right++;
    });
    acc[wi].push(right / ep.queryTexts.length);
  });
}
console.log(
  `${ways}-way${confusable ? ' confusable' : ''}, term ${term}: ` +
    weights.map((w, i) => `w ${w}: ${(100 * meanCi95(acc[i]).mean).toFixed(1)} %`).join(' | '),
);
