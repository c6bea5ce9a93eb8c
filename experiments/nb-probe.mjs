import { meanCi95, Rng, sampleTextEpisode, snippet, trigramBaseline } from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
const args = process.argv.slice(2);
const flag = (n, d) => { const i = args.indexOf(`--${n}`); return i >= 0 ? Number(args[i + 1]) : d; };
const episodes = flag('episodes', 200), ORDER = flag('order', 5), BETA = flag('beta', 1), ways = flag('ways', 20);
const conf = args.includes('--confusable'); const WB = args.includes('--wb');
const corpus = await loadUdhrCorpus();
const classes = corpus.heldOut;
const prep = (t) => ' ' + t.normalize('NFC').toLowerCase().replace(/\s+/g, ' ') + ' ';
function lm(texts) {
  const counts = new Map(); // context -> Map(char -> n)
  for (const raw of texts) {
    const ch = [...prep(raw)];
    for (let i = 0; i < ch.length; i++) for (let k = 0; k < ORDER && k <= i; k++) {
      const h = ch.slice(i - k, i).join('');
      let m = counts.get(h); if (!m) counts.set(h, (m = { tot: 0, c: new Map() }));
      m.tot++; m.c.set(ch[i], (m.c.get(ch[i]) ?? 0) + 1);
    }
  }
  return counts;
}
function score(model, q, V) {
  const ch = [...prep(q)]; let s = 0;
  for (let i = 1; i < ch.length; i++) {
    let p = 1 / V;
    for (let k = 0; k < ORDER && k <= i; k++) {
      const m = model.get(ch.slice(i - k, i).join(''));
      if (!m) break;
      const b = WB ? BETA * m.c.size : BETA; p = ((m.c.get(ch[i]) ?? 0) + b * p) / (m.tot + b);
    }
    s += Math.log(p);
  }
  return s;
}
const rng = Rng.fromSeed(0, `nb ${ways} ${conf}`);
const a1 = [], a2 = [];
for (let e = 0; e < episodes; e++) {
  const ep = sampleTextEpisode(classes, { ways, shots: 1, queries: 5, snippet: 0, confusable: conf }, rng);
  ep.queryTexts = ep.queryTexts.map((t) => snippet(t, 30, rng));
  const byClass = Array.from({ length: ways }, () => []);
  ep.supportTexts.forEach((t, i) => byClass[ep.supportLabels[i]].push(t));
  const models = byClass.map(lm);
  const V = new Set([...ep.supportTexts.join('')]).size + 1;
  const pred = ep.queryTexts.map((q) => { let b = 0, bs = -Infinity; models.forEach((m, c) => { const s = score(m, q, V); if (s > bs) { bs = s; b = c; } }); return b; });
  a1.push(pred.filter((p, i) => p === ep.queryLabels[i]).length / pred.length);
  const tb = trigramBaseline(ep);
  a2.push(tb.filter((p, i) => p === ep.queryLabels[i]).length / tb.length);
}
const f = (a) => { const { mean, ci95 } = meanCi95(a); return `${(100 * mean).toFixed(1)} ± ${(100 * ci95).toFixed(1)}`; };
console.log(`ways ${ways} conf ${conf} order ${ORDER} beta ${BETA}: charLM ${f(a1)} trigram ${f(a2)}`);
