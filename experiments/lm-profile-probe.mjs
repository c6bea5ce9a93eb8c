// Experiment (not shipped): does a text's profile of log-likelihoods under bank languages help
// tell confusable languages apart? Base: the default bank-prior LM score (o5 w0.4 n10 k5 r3).
// Added: lambda · similarity of the query's and the class support's centred likelihood profiles
// over the episode's candidate bank languages.
// node experiments/lm-profile-probe.mjs [--split calib|heldout] [--ways 5] [--episodes 300] [--confusable]
import {
  bankKeys,
  BankReader,
  buildNeighbours,
  charLmScores,
  drawLanguageEpisode,
  LanguageBank,
  meanCi95,
  prepareHashes,
  supportByClass,
} from '@hypermeta/core';
import { episodeFlags, loadSplit } from './probe-flags.mjs';

const { flags, split, ways, episodes } = episodeFlags({ ways: 5, episodes: 300 });
const opt = flags.value;
const confusable = flags.has('confusable');
const lambdas = opt('lambdas', '0,0.1,0.2,0.4,0.8,1.6').split(',').map(Number);
const candN = Number(opt('cand', 10));
const order = 5;
// as core's charLmText
const charLmText = (t) => [...` ${t.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()} `];

const { classes, bankClasses, rng } = await loadSplit(split);
const bank = LanguageBank.ofClasses(bankClasses, order);
const neighbours = confusable ? buildNeighbours(classes) : undefined;
const options = { ways, shots: 1, queries: 5, snippet: 30, supportSnippet: 0, confusable };

/** Mean log-likelihood per char of each text under each language of `langs` (full order, floor 1/200). */
function profiles(texts, langs, maxChars) {
  const reader = new BankReader(bank.counts, langs, order, 1);
  const keys = bankKeys(order);
  const est = new Float64Array(langs.length * order);
  return texts.map((t) => {
    const ch = charLmText(t).slice(0, maxChars + 2);
    const s = new Float64Array(langs.length);
    for (let i = 1; i < ch.length; i++) {
      prepareHashes(ch, i, order, keys);
      reader.read(keys, 1 / 200, est);
      for (let a = 0; a < langs.length; a++) s[a] += Math.log(est[a * order + order - 1]);
    }
    const n = Math.max(1, ch.length - 1);
    let m = 0;
    for (let a = 0; a < langs.length; a++) m += s[a] /= n;
    m /= langs.length;
    for (let a = 0; a < langs.length; a++) s[a] -= m;
    return s;
  });
}

const variants = [];
for (const l of lambdas) variants.push({ l, kind: 'l2', name: `l2 λ${l}` });
const mixes = opt(
  'mixes',
  '0,0,0,0,1;0,0,0.5,0,1;0,0,0,0.5,1;0,0,1,0,1;0,0.3,0.3,0.3,1;0,0,-0.3,0,1;0,0,0,-0.3,1',
).split(';');
for (const m of mixes) variants.push({ l: 0, kind: 'l2', g: m.split(',').map(Number), name: `g ${m}` });
const acc = variants.map(() => []);
const t0 = performance.now();
for (let e = 0; e < episodes; e++) {
  const ep = drawLanguageEpisode(classes, options, rng, neighbours);
  const support = supportByClass(ep);
  const prior = { bank, weight: 0.4, neighbours: 10, keep: 5, fitOrder: 3 };
  const s = charLmScores(support, ep.queryTexts, { order, prior });
  const cand = [...new Set(support.flatMap((t) => bank.nearest(t, candN)))];
  const ps = profiles(
    support.map((t) => t.join(' ')),
    cand,
    400,
  );
  const pq = profiles(ep.queryTexts, cand, 256);
  const sim = (a, b, kind) => {
    let d = 0,
      na = 0,
      nb = 0;
    for (let i = 0; i < a.length; i++) {
      if (kind === 'l2') d -= (a[i] - b[i]) ** 2;
      else ((d += a[i] * b[i]), (na += a[i] ** 2), (nb += b[i] ** 2));
    }
    return kind === 'l2' ? d / a.length : d / Math.sqrt(na * nb + 1e-12);
  };
  variants.forEach((v, vi) => {
    let right = 0;
    ep.queryTexts.forEach((_, q) => {
      const at = (c) => {
        let z = v.l ? v.l * sim(pq[q], ps[c], v.kind) : 0;
        if (v.g) for (let k = 0; k < order; k++) z += v.g[k] * s[(q * ways + c) * order + k];
        else z += s[(q * ways + c) * order + order - 1];
        return z;
      };
      let best = 0;
      for (let c = 1; c < ways; c++) if (at(c) > at(best)) best = c;
      if (best === ep.queryLabels[q]) right++;
    });
    acc[vi].push(right / ep.queryTexts.length);
  });
}
console.log(
  `${split} ${ways}-way${confusable ? ' confusable' : ''}, ${episodes} episodes, cand ${candN}, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
variants.forEach((v, vi) => {
  const { mean, ci95 } = meanCi95(acc[vi]);
  const d = meanCi95(acc[vi].map((a, i) => a - acc[0][i]));
  console.log(
    `${v.name.padEnd(12)} ${(100 * mean).toFixed(2)} ± ${(100 * ci95).toFixed(2)}  diff ${(100 * d.mean).toFixed(2)} ± ${(100 * d.ci95).toFixed(2)}`,
  );
});
