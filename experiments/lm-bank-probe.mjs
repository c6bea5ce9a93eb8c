// Experiment (not shipped): does a bank of training languages' character language models help the
// per-class models of a language seen from one paragraph? Each class's support paragraph picks its
// nearest bank languages (trigram cosine of the paragraph against each bank language's whole
// text); their order-5 models, estimated from their whole text, become a prior for the class.
// Variants are chosen with --split calib (the calibration languages, every fifth training one, as
// the episode's classes; the other 264 training languages as the bank), and only then scored with
// --split heldout (the eval command's episodes; the 330 training languages as the bank).
// node experiments/lm-bank-probe.mjs [--split calib|heldout] [--ways 20] [--episodes 300]
//   [--confusable] [--variants base,lin0.2k1,...]
import { buildNeighbours, drawLanguageEpisode, meanCi95, ngramProfile, cosine } from '@hypermeta/core';
import { charLmScores, LanguageBank, supportByClass } from '@hypermeta/core';
import { loadSplit, probeFlags } from './probe-flags.mjs';

const ORDER = 5;
const prep = (t) => [...` ${t.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase()} `];

/** history -> { m: next -> count, total, distinct }, histories of 0 .. ORDER-1 characters. */
function countsOf(seqs, order = ORDER) {
  const raw = new Map();
  for (const ch of seqs)
    for (let i = 1; i < ch.length; i++) {
      let h = '';
      for (let k = 0; k < order && k <= i; k++) {
        if (k > 0) h = ch[i - k] + h;
        let s = raw.get(h);
        if (!s) raw.set(h, (s = { m: new Map(), total: 0, distinct: 0 }));
        const c = s.m.get(ch[i]) ?? 0;
        if (c === 0) s.distinct++;
        s.m.set(ch[i], c + 1);
        s.total++;
      }
    }
  return raw;
}

/** Witten–Bell (weight beta) from p0 upwards; `hist[k]` is the history of length k. */
function wb(raw, x, hist, top, beta, p0) {
  let p = p0;
  for (let k = 0; k <= top; k++) {
    const s = raw.get(hist[k]);
    if (!s) break;
    const b = beta * s.distinct;
    p = ((s.m.get(x) ?? 0) + b * p) / (s.total + b);
  }
  return p;
}

/** Witten–Bell with a per-level prior: at each history length the lower-order estimate is mixed with the prior's. */
function wbPrior(raw, x, hist, top, beta, p0, prior, nu) {
  let p = p0;
  for (let k = 0; k <= top; k++) {
    const s = raw.get(hist[k]);
    if (!s) return (1 - nu) * p + nu * prior[top]; // the support knows no longer history
    const lower = (1 - nu) * p + nu * prior[k];
    const b = beta * s.distinct;
    p = ((s.m.get(x) ?? 0) + b * lower) / (s.total + b);
  }
  return p;
}

const flags = probeFlags();
const opt = flags.value;
const split = opt('split', 'calib');
const ways = Number(opt('ways', 20));
const episodes = Number(opt('episodes', 300));
const confusable = flags.has('confusable');
const names = opt('variants', 'base,lin0.2k1').split(',');

const { classes, bankClasses, rng } = await loadSplit(split);
let t0 = performance.now();
const bankOrder = Number(opt('bank-order', ORDER));
const prune = Number(opt('prune', 1));
const profileTop = Number(opt('profile-top', Infinity));
/** Drops n-grams seen fewer than `min` times after histories of one or more characters. */
function pruned(raw, min) {
  if (min <= 1) return raw;
  for (const [h, s] of raw) {
    if (h.length === 0) continue;
    for (const [x, c] of s.m) if (c < min) s.m.delete(x);
    if (s.m.size === 0) raw.delete(h);
    else {
      s.total = [...s.m.values()].reduce((a, b) => a + b, 0);
      s.distinct = s.m.size;
    }
  }
  return raw;
}
let entries = 0;
const bank = bankClasses.map((c) => {
  const paras = c.articles.flat();
  const raw = pruned(countsOf(paras.map(prep), bankOrder), prune);
  for (const s of raw.values()) entries += s.m.size;
  const profile = ngramProfile(
    paras.map((p) => p.toLowerCase()),
    3,
    profileTop,
  );
  return { label: c.label, raw, profile };
});
console.log(
  `bank of ${bank.length} languages (order ${bankOrder}, prune ${prune}): ${entries} n-grams, ` +
    `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const neighbours = confusable ? buildNeighbours(classes) : undefined;
const options = { ways, shots: 1, queries: 5, snippet: 30, supportSnippet: 0, confusable };

/** name -> { mu (linear weight), nu (per-level prior weight), k (bank languages), beta }. */
function parse(name) {
  if (name === 'base') return { kind: 'base' };
  const core = /^core([\d.]+)k(\d+)$/.exec(name);
  if (core) return { kind: 'core', w: Number(core[1]), k: Number(core[2]) };
  const em = /^em([\d.]+)m(\d+)i(\d+)(?:t(\d+))?(?:c(\d+))?(?:l([\d.]+))?(a)?$/.exec(name);
  if (em)
    return {
      kind: 'em',
      w: Number(em[1]),
      m: Number(em[2]),
      iters: Number(em[3]),
      keep: Number(em[4] ?? 0),
      cap: Number(em[5] ?? 0),
      // l: a log-linear term of the class's own model beside the mixture
      lambda: Number(em[6] ?? 0),
      // a: the bank lends no character the class's support text lacks
      alphabet: em[7] === 'a',
    };
  const sim = /^sim([\d.]+)k(\d+)$/.exec(name);
  if (sim) return { kind: 'sim', w: Number(sim[1]), k: Number(sim[2]) };
  const ll = /^ll([\d.]+)k(\d+)m(\d+)$/.exec(name);
  if (ll) return { kind: 'll', w: Number(ll[1]), k: Number(ll[2]), m: Number(ll[3]) };
  const m = /^(lin|lvl|floor)([\d.]+)k(\d+)(?:b([\d.]+))?$/.exec(name);
  if (!m) throw new Error(`unknown variant ${name}`);
  return { kind: m[1], w: Number(m[2]), k: Number(m[3]), pb: m[4] ? Number(m[4]) : 1 };
}
const specs = names.map(parse);
// core's own implementation (CharLms with a LanguageBank prior), to check it scores as the probe does
const coreBank = specs.some((s) => s.kind === 'core')
  ? LanguageBank.ofClasses(bankClasses, ORDER)
  : undefined;
const acc = names.map(() => []);
const bankHits = new Map();
t0 = performance.now();
for (let e = 0; e < episodes; e++) {
  const ep = drawLanguageEpisode(classes, options, rng, neighbours);
  const support = supportByClass(ep).map((texts) => texts.map(prep));
  const raws = support.map((s) => countsOf(s));
  const pool = countsOf(support.flat());
  const chars = new Set();
  for (const s of support.flat()) for (let i = 1; i < s.length; i++) chars.add(s[i]);
  const floor = 1 / (chars.size + 1);
  const maxK = Math.max(1, ...specs.map((s) => Math.max(s.k ?? 0, s.m ?? 0)));
  // each class's nearest bank languages by trigram cosine of its support text
  const cosOf = [];
  const near = supportByClass(ep).map((texts) => {
    const prof = ngramProfile(
      texts.map((t) => t.toLowerCase()),
      3,
    );
    const ranked = bank
      .map((b, i) => [cosine(prof, b.profile), i])
      .sort((a, b) => b[0] - a[0])
      .slice(0, maxK);
    cosOf.push(ranked.map(([x]) => x));
    return ranked.map(([, i]) => i);
  });
  // ll: the top-m by cosine re-ranked by how well each bank model predicts the support text
  const llM = specs.find((s) => s.kind === 'll')?.m;
  const nearLl = llM
    ? support.map((seqs, c) =>
        near[c]
          .slice(0, llM)
          .map((j) => {
            let ll = 0;
            const h = new Array(ORDER);
            for (const ch of seqs)
              for (let i = 1; i < ch.length; i++) {
                const top = Math.min(ORDER - 1, i);
                h[0] = '';
                for (let k = 1; k <= top; k++) h[k] = ch[i - k] + h[k - 1];
                ll += Math.log(wb(bank[j].raw, ch[i], h, top, 1, floor));
              }
            return [ll, j];
          })
          .sort((a, b) => b[0] - a[0])
          .map(([, j]) => j),
      )
    : undefined;
  // em: mixture weights over the top-m (by cosine) fitted to the support text by EM
  const piOf = specs.map((emSpec) =>
    emSpec.kind === 'em'
      ? support.map((seqs, c) => {
          const cand = near[c].slice(0, emSpec.m);
          const P = cand.map(() => []);
          const h = new Array(ORDER);
          for (const ch of seqs)
            for (let i = 1; i < (emSpec.cap ? Math.min(ch.length, emSpec.cap + 1) : ch.length); i++) {
              const top = Math.min(ORDER - 1, i);
              h[0] = '';
              for (let k = 1; k <= top; k++) h[k] = ch[i - k] + h[k - 1];
              const p0 = wb(pool, ch[i], h, 0, 1, floor);
              cand.forEach((j, a) => P[a].push(wb(bank[j].raw, ch[i], h, top, 1, p0)));
            }
          let w = cand.map(() => 1 / cand.length);
          const T = P[0].length;
          for (let it = 0; it < emSpec.iters; it++) {
            const next = cand.map(() => 0);
            for (let t = 0; t < T; t++) {
              let z = 0;
              for (let a = 0; a < cand.length; a++) z += w[a] * P[a][t];
              for (let a = 0; a < cand.length; a++) next[a] += (w[a] * P[a][t]) / z / T;
            }
            w = next;
          }
          let mix = cand.map((j, a) => [j, w[a]]);
          // keep: only the heaviest components, renormalised (each costs a lookup per character)
          if (emSpec.keep) {
            mix = mix.sort((a, b) => b[1] - a[1]).slice(0, emSpec.keep);
            const z = mix.reduce((t, [, x]) => t + x, 0);
            mix = mix.map(([j, x]) => [j, x / z]);
          }
          return mix;
        })
      : undefined,
  );
  if (e < 3) near.forEach((n, c) => bankHits.set(ep.classes[c], n.map((i) => bank[i].label).join(' ')));
  const coreScores = specs.map((s) =>
    s.kind === 'core'
      ? charLmScores(supportByClass(ep), ep.queryTexts, {
          order: ORDER,
          prior: { bank: coreBank, weight: s.w, neighbours: s.k },
        })
      : undefined,
  );
  const hist = new Array(ORDER);
  const priorByLevel = new Float64Array(ORDER);
  const out = specs.map(() => new Float64Array(support.length));
  ep.queryTexts.forEach((q, qi) => {
    const ch = prep(q).slice(0, 258);
    out.forEach((o) => o.fill(0));
    for (let i = 1; i < ch.length; i++) {
      const top = Math.min(ORDER - 1, i);
      hist[0] = '';
      for (let k = 1; k <= top; k++) hist[k] = ch[i - k] + hist[k - 1];
      const x = ch[i];
      const p0 = wb(pool, x, hist, 0, 1, floor);
      for (let c = 0; c < support.length; c++) {
        const base = wb(raws[c], x, hist, top, 1, p0);
        // the prior: the mean of the nearest bank languages' models, on the same pooled floor
        const priorAt = (k, level, list = near[c]) => {
          let p = 0;
          for (let j = 0; j < k; j++) p += wb(bank[list[j]].raw, x, hist, level, 1, p0);
          return p / k;
        };
        specs.forEach((s, v) => {
          if (s.kind === 'core') return;
          let p;
          if (s.kind === 'base') p = base;
          else if (s.kind === 'lin') p = (1 - s.w) * base + s.w * priorAt(s.k, top);
          else if (s.kind === 'em') {
            let q = 0;
            for (const [j, wj] of piOf[v][c]) q += wj * wb(bank[j].raw, x, hist, top, 1, p0);
            p = (1 - s.w) * base + s.w * q;
            if (s.alphabet && !raws[c].get('').m.has(x)) p = base;
            if (s.lambda) p *= base ** s.lambda;
          } else if (s.kind === 'sim') {
            let m = 0;
            for (let j = 0; j < s.k; j++) m += cosOf[c][j] / s.k;
            const w = Math.min(0.6, s.w * m);
            p = (1 - w) * base + w * priorAt(s.k, top);
          } else if (s.kind === 'll') p = (1 - s.w) * base + s.w * priorAt(s.k, top, nearLl[c]);
          else if (s.kind === 'floor')
            p = wb(raws[c], x, hist, top, 1, (1 - s.w) * p0 + s.w * priorAt(s.k, top));
          else {
            for (let k = 0; k <= top; k++) priorByLevel[k] = priorAt(s.k, k);
            p = wbPrior(raws[c], x, hist, top, 1, p0, priorByLevel, s.w);
          }
          out[v][c] += Math.log(p);
        });
      }
    }
    out.forEach((o, v) => {
      if (coreScores[v])
        for (let c = 0; c < o.length; c++) o[c] = coreScores[v][(qi * o.length + c) * ORDER + ORDER - 1];
      let best = 0;
      for (let c = 1; c < o.length; c++) if (o[c] > o[best]) best = c;
      (acc[v][e] ??= []).push(best === ep.queryLabels[qi] ? 1 : 0);
    });
  });
}
console.log(
  `${split} ${ways}-way${confusable ? ' confusable' : ''}, ${episodes} episodes, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
for (const [c, n] of bankHits) console.log(`  ${c} -> ${n}`);
const perEp = acc.map((a) => a.map((r) => r.reduce((s, x) => s + x, 0) / r.length));
names.forEach((n, v) => {
  const { mean, ci95 } = meanCi95(perEp[v]);
  const d = meanCi95(perEp[v].map((a, i) => a - perEp[0][i]));
  const diff = v === 0 ? '' : `  diff ${(100 * d.mean).toFixed(2)} ± ${(100 * d.ci95).toFixed(2)}`;
  console.log(`${n.padEnd(16)} ${(100 * mean).toFixed(2)} ± ${(100 * ci95).toFixed(2)}${diff}`);
});
