// Experiment (not shipped): how the end of a query snippet is chosen, against the reference
// trigram-baseline figures of the language task (whole-paragraph support, 30-character queries,
// the held-out languages; every cut of one episode's queries from the same random numbers).
// backWord: from a word start, cut back to the last space inside the window (core's earlier
// snippet); core: core's snippet now; exactWord: from a word start, exactly N characters; nearestWord: from a
// word start to the word boundary nearest N characters on (no cap on how far past).
// node experiments/snippet-cut-probe.mjs [episodes, default 600; 100-way gets half]
import { graphemes, meanCi95, Rng, sampleTextEpisode, snippet, trigramBaseline } from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';
const episodes = Number(process.argv[2] ?? 600);
const corpus = await loadUdhrCorpus();
const classes = corpus.heldOut;
const N = 30;
function cutWith(kind, text, rng) {
  if (kind === 'core') return snippet(text, N, rng);
  const g = graphemes(text);
  if (g.length <= N) return text;
  const sp = g.map((c) => /^\s+$/u.test(c));
  const starts = [];
  g.forEach((c, i) => {
    if (!sp[i] && (i === 0 || sp[i - 1])) starts.push(i);
  });
  const spaced = starts.length * N >= g.length;
  const last = g.length - N;
  const fit = starts.filter((s) => s <= last);
  const begin = spaced && fit.length ? fit[rng.int(fit.length)] : rng.int(last + 1);
  let end = begin + N;
  if (kind === 'backWord' && spaced && end < g.length && !sp[end]) {
    let a = end - 1;
    while (a > begin && !sp[a]) a--;
    if (a > begin) end = a;
  }
  if (kind === 'nearestWord' && spaced && end < g.length && !sp[end]) {
    let a = end;
    while (a > begin && !sp[a]) a--;
    let b = end;
    while (b < g.length && !sp[b]) b++;
    end = a > begin && end - a <= b - end ? a : b;
  }
  return g.slice(begin, end).join('').trim();
}
const kinds = ['backWord', 'exactWord', 'nearestWord', 'core'];
for (const w of [5, 20, 50, 100, 'confusable']) {
  const ways = w === 'confusable' ? 5 : w;
  const res = kinds.map(() => []);
  const len = kinds.map(() => []);
  const rng = Rng.fromSeed(0, `snip ${w}`);
  for (let e = 0; e < (ways === 100 ? episodes / 2 : episodes); e++) {
    const ep = sampleTextEpisode(
      classes,
      { ways, confusable: w === 'confusable', shots: 1, queries: 5, snippet: 0 },
      rng,
    );
    const seed = rng.int(1e9);
    kinds.forEach((k, ki) => {
      const r2 = Rng.fromSeed(seed, 'cut');
      const q = ep.queryTexts.map((t) => cutWith(k, t, r2));
      q.forEach((t) => len[ki].push(graphemes(t).length));
      const pred = trigramBaseline({ ...ep, queryTexts: q });
      res[ki].push(pred.filter((p, i) => p === ep.queryLabels[i]).length / pred.length);
    });
  }
  console.log(
    w,
    kinds
      .map(
        (k, ki) =>
          `${k} ${(100 * meanCi95(res[ki]).mean).toFixed(1)} (len ${(len[ki].reduce((a, b) => a + b) / len[ki].length).toFixed(1)})`,
      )
      .join('  '),
  );
}
