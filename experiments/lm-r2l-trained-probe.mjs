// Experiment (not shipped): a trained language checkpoint scored on the eval's held-out episodes
// twice, with its language models as trained (left to right) and with a right-to-left model beside
// them (a second bank built from the training languages' reversed texts), the two averaged per
// order: the average keeps the scores' scale, so the trained weights over the orders and the
// head's share apply unchanged. The baseline column is the language models alone (no training).
// node experiments/lm-r2l-trained-probe.mjs RUN_DIR [--ways 5] [--plain] [--episodes 600]
//   [--backend node]
import '../packages/cli/dist/families/index.js';
import { charLmScores, evaluateLanguage, LanguageBank, meanCi95, supportByClass } from '@hypermeta/core';
import { selectBackend } from '../packages/cli/dist/backend-select.js';
import { loadForInference } from '../packages/cli/dist/commands/load-model.js';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
import { episodeFlags } from './probe-flags.mjs';

const { flags, ways, episodes } = episodeFlags({ split: 'heldout', ways: 5, episodes: 600 });
const run = process.argv[2];
const confusable = !flags.has('plain');
await selectBackend(flags.value('backend', 'node'));
const { model, cli } = await loadForInference(run);
await cli.prepareModel(model);
const corpus = await loadUdhrCorpus();
const reverse = (t) => [...t].reverse().join('');
const reversedBank = LanguageBank.ofClasses(
  model.bankClasses(corpus.train).map((c) => ({ ...c, articles: c.articles.map((a) => a.map(reverse)) })),
  model.config.lmOrder,
);
const options = {
  ways,
  shots: 1,
  queries: 5,
  snippet: 30,
  supportSnippet: 0,
  confusable,
  episodes,
  seed: 1,
  baseline: true,
};
const oneWay = evaluateLanguage(model, corpus.heldOut, options);
const leftToRight = model.withLmScores.bind(model);
model.withLmScores = (e) => {
  const forward = leftToRight(e).lmScores;
  const o = model.lmOptions(e);
  const backward = charLmScores(
    supportByClass(e).map((texts) => texts.map(reverse)),
    e.queryTexts.map(reverse),
    { ...o, prior: { ...o.prior, bank: reversedBank } },
  );
  return { ...e, lmScores: forward.map((x, i) => (x + backward[i]) / 2) };
};
const bothWays = evaluateLanguage(model, corpus.heldOut, options);
const pct = (s) => `${(100 * s.accuracy).toFixed(2)} ± ${(100 * s.ci95).toFixed(2)}`;
const diff = meanCi95(bothWays.perEpisode.map((a, i) => a - oneWay.perEpisode[i]));
console.log(`${ways}-way${confusable ? ' confusable' : ''}, ${episodes} held-out episodes`);
for (const [name, r] of [
  ['left to right', oneWay],
  ['both, averaged', bothWays],
])
  console.log(
    `${name.padEnd(15)} hypernet ${pct(r)}, its language models alone ${pct(r.charLmBankBaseline)}, ` +
      `median ${r.msPerEpisodeMedian.toFixed(1)} ms per episode`,
  );
console.log(`paired difference ${(100 * diff.mean).toFixed(2)} ± ${(100 * diff.ci95).toFixed(2)} points`);
