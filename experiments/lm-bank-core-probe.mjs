// Experiment (not shipped): variants of the bank-prior language models scored with core's own
// implementation (charLmScores with a LanguageBank prior), no training. Choose with --split calib
// (every fifth training language as the episode's classes, the other training languages as the
// bank), score the chosen one once with --split heldout (the eval command's episodes).
// node experiments/lm-bank-core-probe.mjs [--split calib|heldout] [--ways 5] [--episodes 300]
//   [--confusable] [--variants o5w0.4n10k5,o6w0.4n10k5b0.5,...]
// A variant: o<order> w<bank weight> n<candidates> k<kept> [b<beta>] [f<fit characters>].
import { buildNeighbours, charLmScores, drawLanguageEpisode, LanguageBank, meanCi95 } from '@hypermeta/core';
import { supportByClass } from '@hypermeta/core';
import { episodeFlags, loadSplit } from './probe-flags.mjs';

const { flags, split, ways, episodes } = episodeFlags({ ways: 5, episodes: 300 });
const opt = flags.value;
const confusable = flags.has('confusable');
const variants = opt('variants', 'o5w0.4n10k5')
  .split(',')
  .map((name) => {
    const m = /^o(\d+)w([\d.]+)n(\d+)k(\d+)(?:b([\d.]+))?(?:f(\d+))?(?:r(\d+))?$/.exec(name);
    if (!m) throw new Error(`unknown variant ${name}`);
    const [, o, w, n, k, b, f, r] = m;
    return {
      name,
      order: +o,
      weight: +w,
      neighbours: +n,
      keep: +k,
      beta: b ? +b : 1,
      fit: f ? +f : undefined,
      fitOrder: r ? +r : undefined,
    };
  });

const { classes, bankClasses, rng } = await loadSplit(split);
let t0 = performance.now();
const bank = LanguageBank.ofClasses(bankClasses, Math.max(...variants.map((v) => v.order)));
console.log(`bank of ${bank.size} languages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const neighbours = confusable ? buildNeighbours(classes) : undefined;
const options = { ways, shots: 1, queries: 5, snippet: 30, supportSnippet: 0, confusable };
const acc = variants.map(() => []);
t0 = performance.now();
for (let e = 0; e < episodes; e++) {
  const ep = drawLanguageEpisode(classes, options, rng, neighbours);
  const support = supportByClass(ep);
  variants.forEach((v, vi) => {
    const prior = {
      bank,
      weight: v.weight,
      neighbours: v.neighbours,
      keep: v.keep,
      fitChars: v.fit,
      fitOrder: v.fitOrder,
    };
    const s = charLmScores(support, ep.queryTexts, { order: v.order, beta: v.beta, prior });
    let right = 0;
    ep.queryTexts.forEach((_, q) => {
      const at = (c) => s[(q * ways + c) * v.order + v.order - 1];
      let best = 0;
      for (let c = 1; c < ways; c++) if (at(c) > at(best)) best = c;
      if (best === ep.queryLabels[q]) right++;
    });
    acc[vi].push(right / ep.queryTexts.length);
  });
}
console.log(
  `${split} ${ways}-way${confusable ? ' confusable' : ''}, ${episodes} episodes, ` +
    `${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
variants.forEach((v, vi) => {
  const { mean, ci95 } = meanCi95(acc[vi]);
  const d = meanCi95(acc[vi].map((a, i) => a - acc[0][i]));
  const diff = vi === 0 ? '' : `  diff ${(100 * d.mean).toFixed(2)} ± ${(100 * d.ci95).toFixed(2)}`;
  console.log(`${v.name.padEnd(20)} ${(100 * mean).toFixed(2)} ± ${(100 * ci95).toFixed(2)}${diff}`);
});
