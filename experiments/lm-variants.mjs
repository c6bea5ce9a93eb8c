// Experiment (not shipped): estimators of the per-class character language models, compared on
// the same episodes (1-shot, a whole paragraph of support per class, 30-character queries): each
// query goes to the class whose model gives it the highest likelihood. Variants are chosen on
// the TRAINING languages (--split train, their own seed); only the chosen ones are then scored on
// the held-out languages with the eval command's episodes (--split heldout: seed 1, the
// 'language-eval' stream and drawLanguageEpisode, so the figures compare with docs/LANGUAGE.md).
// node experiments/lm-variants.mjs [--split train|heldout] [--ways 20] [--episodes 300]
//   [--confusable] [--seed S] [--variants wb5,wb5-pool1,...]   (names: see parseVariant; the
//   first is the reference: every other row also gets its paired difference to it)
import {
  buildNeighbours,
  CharLms,
  drawLanguageEpisode,
  meanCi95,
  Rng,
  supportByClass,
} from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
import { probeFlags } from './probe-flags.mjs';

// ---- the estimators ------------------------------------------------------------------------
const BOS = '\u0002';
const MAX_ORDER = 8;

/**
 * The text as a model sees it; `cased`, `digits` (every digit → 0), `punct` (punctuation → '.'),
 * `reverse` (read right to left: a second model of the same support, whose errors differ).
 */
function prep(text, f = {}) {
  let t = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!f.cased) t = t.toLowerCase();
  if (f.digits) t = t.replace(/\p{Nd}/gu, '0');
  if (f.punct) t = t.replace(/\p{P}/gu, '.');
  const ch = [...` ${t} `];
  return f.reverse ? ch.reverse() : ch;
}

/** Per-history statistics of a map next → count: total, distinct, and count-of-counts 1, 2, 3+. */
function withStats(m) {
  let total = 0,
    n1 = 0,
    n2 = 0,
    n3 = 0;
  for (const c of m.values()) {
    total += c;
    if (c === 1) n1++;
    else if (c === 2) n2++;
    else n3++;
  }
  return { m, total, distinct: m.size, n1, n2, n3 };
}

/** Raw counts (history → next → count) and KN continuation counts (distinct left neighbours). */
class Counts {
  constructor(seqs) {
    const raw = new Map();
    const left = new Map();
    for (const ch of seqs)
      for (let i = 1; i < ch.length; i++)
        for (let k = 0; k < MAX_ORDER && k <= i; k++) {
          const h = ch.slice(i - k, i).join('');
          let m = raw.get(h);
          if (!m) raw.set(h, (m = new Map()));
          m.set(ch[i], (m.get(ch[i]) ?? 0) + 1);
          const y = i - k - 1 >= 0 ? ch[i - k - 1] : BOS;
          let l = left.get(h);
          if (!l) left.set(h, (l = new Map()));
          let s = l.get(ch[i]);
          if (!s) l.set(ch[i], (s = new Set()));
          s.add(y);
        }
    this.raw = new Map([...raw].map(([h, m]) => [h, withStats(m)]));
    this.cont = new Map(
      [...left].map(([h, l]) => [h, withStats(new Map([...l].map(([x, s]) => [x, s.size])))]),
    );
  }

  /** Count-of-counts of the n-grams of history length k: [n1, n2, n3, n4] (raw or continuation). */
  countOfCounts(k, which) {
    const n = [0, 0, 0, 0, 0];
    for (const [h, s] of this[which])
      if ([...h].length === k) for (const c of s.m.values()) if (c <= 4) n[c]++;
    return n.slice(1);
  }
}

const episodeCache = new WeakMap();
/** Counts of every class and of the pooled support, and the alphabet size, per preparation. */
function episodeCounts(support, f) {
  let byKey = episodeCache.get(support);
  if (!byKey) episodeCache.set(support, (byKey = new Map()));
  const key = JSON.stringify(f);
  let e = byKey.get(key);
  if (!e) {
    const seqs = support.map((texts) => texts.map((t) => prep(t, f)));
    const chars = new Set();
    for (const s of seqs.flat()) for (let i = 1; i < s.length; i++) chars.add(s[i]);
    e = { classes: seqs.map((s) => new Counts(s)), pool: new Counts(seqs.flat()), V: chars.size + 1 };
    byKey.set(key, e);
  }
  return e;
}

/** Witten–Bell interpolation from `p0` up through histories of length 0..top. */
function wbProb(counts, ch, i, top, beta, p0, betaHi = beta) {
  const x = ch[i];
  let p = p0;
  for (let k = 0; k <= top; k++) {
    const s = counts.raw.get(ch.slice(i - k, i).join(''));
    if (!s) break;
    const b = (k >= 2 ? betaHi : beta) * s.distinct;
    p = ((s.m.get(x) ?? 0) + b * p) / (s.total + b);
  }
  return p;
}

/**
 * Interpolated (modified) Kneser–Ney: raw counts at the top history, continuation counts below;
 * `raw` uses raw counts at every history length (interpolated absolute discounting).
 */
function knProb(counts, ch, i, top, D, p0, raw = false) {
  const x = ch[i];
  let p = p0;
  for (let k = 0; k <= top; k++) {
    const s = (k === top || raw ? counts.raw : counts.cont).get(ch.slice(i - k, i).join(''));
    if (!s) break;
    const [d1, d2, d3] = D(k, k === top);
    const c = s.m.get(x) ?? 0;
    const d = c === 0 ? 0 : c === 1 ? d1 : c === 2 ? d2 : d3;
    const gamma = (d1 * s.n1 + d2 * s.n2 + d3 * s.n3) / s.total;
    p = Math.max(c - d, 0) / s.total + gamma * p;
  }
  return p;
}

/** PPM (escape method C or D), backing off from the longest history, with or without exclusion. */
function ppmProb(counts, ch, i, top, method, exclusion, V) {
  const x = ch[i];
  let prob = 1;
  const excl = new Set();
  for (let k = top; k >= 0; k--) {
    const s = counts.raw.get(ch.slice(i - k, i).join(''));
    if (!s) continue;
    let tot = s.total,
      dist = s.distinct;
    if (exclusion && excl.size) {
      tot = 0;
      dist = 0;
      for (const [y, c] of s.m)
        if (!excl.has(y)) {
          tot += c;
          dist++;
        }
      if (dist === 0) continue;
    }
    const cx = s.m.get(x) ?? 0;
    if (method === 'C') {
      if (cx > 0) return (prob * cx) / (tot + dist);
      prob *= dist / (tot + dist);
    } else {
      if (cx > 0) return (prob * (cx - 0.5)) / tot;
      prob *= dist / (2 * tot);
    }
    if (exclusion) for (const y of s.m.keys()) excl.add(y);
  }
  return prob / Math.max(1, V - excl.size);
}

/** Discounts per history length estimated from pooled count-of-counts (Chen & Goodman). */
function pooledDiscounts(pool, order, modified) {
  const D = [];
  for (let k = 0; k < order; k++) {
    const of = (which) => {
      const [n1, n2, n3, n4] = pool.countOfCounts(k, which);
      const Y = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
      const clamp = (d, hi) => Math.min(hi, Math.max(0.05, Number.isFinite(d) ? d : Y));
      if (!modified) return [Y, Y, Y];
      return [
        clamp(1 - (2 * Y * n2) / n1, 0.99),
        clamp(2 - (3 * Y * n3) / n2, 1.99),
        clamp(3 - (4 * Y * n4) / n3, 2.99),
      ];
    };
    D.push({ raw: of('raw'), cont: of('cont') });
  }
  return (k, top) => D[k][top ? 'raw' : 'cont'];
}

/**
 * A variant: support → (query → total log-likelihood per class). `order` is the longest n-gram;
 * `est` the estimator with its parameters; `bottom` what the recursion starts from: 0 the uniform
 * floor over the episode's characters, n > 0 the pooled support of every class at order n
 * (Witten–Bell with `poolBeta`, itself on the uniform floor).
 */
function variant(o) {
  const { order = 5, est = 'wb', beta = 0.5, D = 0.75, mkn = null, ppm = 'C', excl = true } = o;
  const { bottom = 0, poolBeta = beta, clip = 0, loo = false, betaHi = beta, f = {} } = o;
  return (support) => {
    const e = episodeCounts(support, f);
    const disc =
      est === 'kn' || est === 'ad'
        ? mkn
          ? pooledDiscounts(e.pool, order, mkn === 'modified')
          : () => [D, D, D]
        : null;
    const floor = 1 / e.V;
    // loo: each class's floor is the unigram model of the OTHER classes' support only
    const others = loo ? e.classes.map((cl) => othersUnigram(e, cl, poolBeta, floor)) : null;
    return (query) => {
      const ch = prep(query, f).slice(0, 258);
      const out = new Float64Array(support.length);
      for (let i = 1; i < ch.length; i++) {
        const top = Math.min(order - 1, i);
        const p0 = bottom > 0 ? wbProb(e.pool, ch, i, Math.min(bottom - 1, i), poolBeta, floor) : floor;
        const prob = (cl, c) => {
          const q0 = others && c !== undefined ? others[c](ch[i]) : p0;
          if (est === 'wb') return wbProb(cl, ch, i, top, beta, q0, betaHi);
          if (est === 'ppm') return ppmProb(cl, ch, i, top, ppm, excl, e.V);
          return knProb(cl, ch, i, top, disc, q0, est === 'ad');
        };
        // clip: no character may cost a class more than T nats below the pooled model's estimate
        const lowest = clip > 0 ? Math.log(prob(e.pool)) - clip : -Infinity;
        e.classes.forEach((cl, c) => (out[c] += Math.max(lowest, Math.log(prob(cl, c)))));
      }
      return out;
    };
  };
}

/** The Witten–Bell unigram model of every class's support but `cl`'s, over the uniform floor. */
function othersUnigram(e, cl, beta, floor) {
  const all = e.pool.raw.get('').m;
  const own = cl.raw.get('').m;
  const counts = new Map();
  let total = 0;
  for (const [x, n] of all) {
    const r = n - (own.get(x) ?? 0);
    if (r > 0) counts.set(x, r);
    total += r;
  }
  const b = beta * counts.size;
  return (x) => ((counts.get(x) ?? 0) + b * floor) / (total + b);
}

/** A weighted sum of several variants' log-likelihoods. */
const mix =
  (...parts) =>
  (support) => {
    const scorers = parts.map(([v, w]) => [v(support), w]);
    return (query) => {
      const out = new Float64Array(support.length);
      for (const [s, w] of scorers) s(query).forEach((x, c) => (out[c] += w * x));
      return out;
    };
  };

/**
 * A variant from its name: `+`-joined parts (log-likelihoods summed, `*W` weighs a part), each
 * part `-`-joined tokens: the estimator and order first (wb5, kn5, ad5 (absolute discounting on
 * raw counts at every order), mkn5 (modified KN, discounts
 * from the episode's pooled count-of-counts), ppmC5, ppmD5), then any of b<β> (Witten–Bell
 * weight), d<D> (KN discount; `est`: estimated from the pooled counts), pool<n> (bottom: the
 * pooled order-n model), loo (the floor: the other classes' pooled unigram model), pb<β> (its
 * Witten–Bell weight), bhi<β> (the Witten–Bell weight of histories of 2 or more characters), clip<T> (a character costs a class at
 * most T nats below the pooled support's model under the same estimator), noex (PPM without exclusion), cased,
 * digits, punct, rev; or `shipped`, core's CharLms with its defaults. Examples: wb5, wb5-pool1, kn5-d0.5-pool2, wb5-pool1+wb5-pool1-rev*0.5.
 */
function parseVariant(name) {
  if (name === 'shipped') return shipped;
  const parts = name.split('+').map((part) => {
    const [body, w] = part.split('*');
    const [head, ...tokens] = body.split('-');
    const m = /^(wb|kn|ad|mkn|ppmC|ppmD)(\d+)$/.exec(head);
    if (!m) throw new Error(`variant ${name}: unknown estimator ${head}`);
    const o = { order: Number(m[2]), f: {} };
    if (m[1] === 'wb') o.est = 'wb';
    else if (m[1] === 'kn' || m[1] === 'ad') o.est = m[1];
    else if (m[1] === 'mkn') Object.assign(o, { est: 'kn', mkn: 'modified' });
    else Object.assign(o, { est: 'ppm', ppm: m[1].slice(3) });
    for (const t of tokens) {
      let k;
      if ((k = /^b([\d.]+)$/.exec(t))) o.beta = Number(k[1]);
      else if (t === 'dest') o.mkn = 'plain';
      else if ((k = /^d([\d.]+)$/.exec(t))) o.D = Number(k[1]);
      else if ((k = /^pool(\d+)$/.exec(t))) o.bottom = Number(k[1]);
      else if ((k = /^pb([\d.]+)$/.exec(t))) o.poolBeta = Number(k[1]);
      else if (t === 'noex') o.excl = false;
      else if ((k = /^clip([\d.]+)$/.exec(t))) o.clip = Number(k[1]);
      else if ((k = /^bhi([\d.]+)$/.exec(t))) o.betaHi = Number(k[1]);
      else if (t === 'loo') o.loo = true;
      else if (['cased', 'digits', 'punct', 'rev'].includes(t)) o.f[t === 'rev' ? 'reverse' : t] = true;
      else throw new Error(`variant ${name}: unknown token ${t}`);
    }
    return [variant(o), w === undefined ? 1 : Number(w)];
  });
  return parts.length === 1 && parts[0][1] === 1 ? parts[0][0] : mix(...parts);
}

/** The estimator core ships (its defaults, order 5): a check that the one chosen here is it. */
function shipped(support) {
  const lms = new CharLms(support, { order: 5 });
  const p = new Float64Array(support.length * 5);
  return (query) => {
    const ch = prep(query).slice(0, 258);
    const out = new Float64Array(support.length);
    for (let i = 1; i < ch.length; i++) {
      lms.conditional(ch, i, p);
      for (let c = 0; c < support.length; c++) out[c] += Math.log(p[c * 5 + 4]);
    }
    return out;
  };
}

const argmaxOf = (scorer) => (support) => {
  const s = scorer(support);
  return (q) => {
    const x = s(q);
    let best = 0;
    for (let c = 1; c < x.length; c++) if (x[c] > x[best]) best = c;
    return best;
  };
};

const flags = probeFlags();
const opt = flags.value;
const split = opt('split', 'train');
const ways = Number(opt('ways', 20));
const episodes = Number(opt('episodes', 300));
const confusable = flags.has('confusable');
const names = opt('variants', 'wb5').split(',');
const VARIANTS = Object.fromEntries(names.map((n) => [n, argmaxOf(parseVariant(n))]));
const seed = Number(opt('seed', split === 'heldout' ? 1 : 7));

const corpus = await loadUdhrCorpus();
const classes = split === 'heldout' ? corpus.heldOut : corpus.train;
// the held-out stream is evaluateLanguage's own (same seed, same stream name, same draws)
const rng = Rng.fromSeed(seed, split === 'heldout' ? 'language-eval' : 'lm-variants');
const neighbours = confusable ? buildNeighbours(classes) : undefined;
const options = { ways, shots: 1, queries: 5, snippet: 30, supportSnippet: 0, confusable };
const acc = names.map(() => []);
const ms = names.map(() => 0);
const t0 = performance.now();
for (let e = 0; e < episodes; e++) {
  const ep = drawLanguageEpisode(classes, options, rng, neighbours);
  const support = supportByClass(ep);
  names.forEach((n, v) => {
    const t = performance.now();
    const predict = VARIANTS[n](support);
    let right = 0;
    ep.queryTexts.forEach((q, i) => {
      if (predict(q) === ep.queryLabels[i]) right++;
    });
    ms[v] += performance.now() - t;
    acc[v].push(right / ep.queryTexts.length);
  });
}
const what = `${split} ${ways}-way${confusable ? ' confusable' : ''}, ${episodes} episodes, seed ${seed}`;
console.log(`${what}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
names.forEach((n, v) => {
  const { mean, ci95 } = meanCi95(acc[v]);
  const per = (ms[v] / episodes).toFixed(1);
  const d = meanCi95(acc[v].map((a, i) => a - acc[0][i]));
  const diff = v === 0 ? '' : `  diff ${(100 * d.mean).toFixed(2)} ± ${(100 * d.ci95).toFixed(2)}`;
  console.log(
    `${n.padEnd(26)} ${(100 * mean).toFixed(2)} ± ${(100 * ci95).toFixed(2)}${diff}  ${per} ms/episode`,
  );
});
