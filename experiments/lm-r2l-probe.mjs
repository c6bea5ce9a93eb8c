// Experiment (not shipped): a right-to-left character language model beside the left-to-right one,
// both with the bank of training languages, their per-character log-likelihoods summed. No
// training; core's own implementation, so the left-to-right row is the bank baseline of the docs.
// The right-to-left model reads every text backwards: its support and queries reversed, and a
// second bank built from the reversed texts of the same languages. Its bank shares are either
// fitted apart or the left-to-right model's (same candidates: reversed trigram profiles have the
// same cosines), which spares the second fit.
// node experiments/lm-r2l-probe.mjs [--split calib|heldout] [--ways 5] [--plain] [--episodes 600]
//   [--queries 5] [--fit 100]: a last row with both models' shares fitted on that many characters
import {
  buildNeighbours,
  charLmScores,
  drawLanguageEpisode,
  LanguageBank,
  meanCi95,
  supportByClass,
} from '@hypermeta/core';
import { episodeFlags, loadSplit } from './probe-flags.mjs';

const { flags, split, ways, episodes } = episodeFlags({ ways: 5, episodes: 600 });
const opt = flags.value;
const queries = Number(opt('queries', 5));
const confusable = !flags.has('plain');
const fit = Number(opt('fit', 100));

const { classes, bankClasses, rng } = await loadSplit(split);
const reverse = (t) => [...t].reverse().join('');
const bank = LanguageBank.ofClasses(bankClasses, 5);
const reversedBank = LanguageBank.ofClasses(
  bankClasses.map((c) => ({ ...c, articles: c.articles.map((a) => a.map(reverse)) })),
  5,
);
// the left-to-right fits, recorded, and replayed for the right-to-left models
let nearest = [];
let shares = [];
const ownNearest = bank.nearest.bind(bank);
const ownFit = bank.fitMixture.bind(bank);
bank.nearest = (...a) => {
  const r = ownNearest(...a);
  nearest.push(r);
  return r;
};
bank.fitMixture = (...a) => {
  const r = ownFit(...a);
  shares.push(r);
  return r;
};
const replayed = Object.create(reversedBank);
replayed.nearest = () => nearest.shift();
replayed.fitMixture = () => shares.shift();

const neighbours = confusable ? buildNeighbours(classes) : undefined;
const options = { ways, shots: 1, queries, snippet: 30, supportSnippet: 0, confusable };
const prior = { bank, weight: 0.4, neighbours: 10, keep: 5, fitOrder: 3 };
const rows = [
  'left to right (default)',
  'right to left, fitted apart',
  'both, fitted apart',
  'both, shares reused',
  `both, fitted apart on ${fit} characters`,
];
const acc = rows.map(() => []);
const ms = [0, 0, 0, 0];
for (let e = 0; e < episodes; e++) {
  const ep = drawLanguageEpisode(classes, options, rng, neighbours);
  const support = supportByClass(ep);
  nearest = [];
  shares = [];
  let t = performance.now();
  const l2r = charLmScores(support, ep.queryTexts, { order: 5, prior });
  ms[0] += performance.now() - t;
  const rs = support.map((texts) => texts.map(reverse));
  const rq = ep.queryTexts.map(reverse);
  t = performance.now();
  const apart = charLmScores(rs, rq, { order: 5, prior: { ...prior, bank: reversedBank } });
  ms[1] += performance.now() - t;
  t = performance.now();
  const reused = charLmScores(rs, rq, { order: 5, prior: { ...prior, bank: replayed } });
  ms[2] += performance.now() - t;
  t = performance.now();
  const short = { ...prior, fitChars: fit };
  const l2rShort = charLmScores(support, ep.queryTexts, { order: 5, prior: short });
  const r2lShort = charLmScores(rs, rq, { order: 5, prior: { ...short, bank: reversedBank } });
  ms[3] += performance.now() - t;
  const at = (s, q, c) => s[(q * ways + c) * 5 + 4];
  const rules = [
    (q, c) => at(l2r, q, c),
    (q, c) => at(apart, q, c),
    (q, c) => at(l2r, q, c) + at(apart, q, c),
    (q, c) => at(l2r, q, c) + at(reused, q, c),
    (q, c) => at(l2rShort, q, c) + at(r2lShort, q, c),
  ];
  rules.forEach((score, r) => {
    let right = 0;
    for (let q = 0; q < ep.queryTexts.length; q++) {
      let best = 0;
      for (let c = 1; c < ways; c++) if (score(q, c) > score(q, best)) best = c;
      if (best === ep.queryLabels[q]) right++;
    }
    acc[r].push(right / ep.queryTexts.length);
  });
}
console.log(
  `${split} ${ways}-way${confusable ? ' confusable' : ''}, ${episodes} episodes, ${queries} queries per ` +
    `language; ms per episode: left to right ${(ms[0] / episodes).toFixed(2)}, right to left fitted ` +
    `apart ${(ms[1] / episodes).toFixed(2)}, with the shares reused ${(ms[2] / episodes).toFixed(2)}, both fitted on ${fit} ` +
    `${(ms[3] / episodes).toFixed(2)}`,
);
rows.forEach((name, r) => {
  const { mean, ci95 } = meanCi95(acc[r]);
  const d = meanCi95(acc[r].map((a, i) => a - acc[0][i]));
  const diff = r === 0 ? '' : `  (${(100 * d.mean).toFixed(2)} ± ${(100 * d.ci95).toFixed(2)})`;
  console.log(`${name.padEnd(30)} ${(100 * mean).toFixed(2)} ± ${(100 * ci95).toFixed(2)}${diff}`);
});
