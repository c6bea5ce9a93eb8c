// Experiment (not shipped): the no-training baseline (character-trigram profiles, cosine to the
// mean support profile) on episodes of the held-out UDHR languages, the table of docs/LANGUAGE-DATA.md.
// node experiments/language-baseline.mjs [--episodes 600] [--queries 5] [--shots 1] [--snippet 30] [--seed 0] [--json]
// Needs built packages/core and packages/cli (npm run build).
import { meanCi95, Rng, sampleTextEpisode, snippet, trigramBaseline } from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const episodes = flag('episodes', 600);
const queries = flag('queries', 5);
const shots = flag('shots', 1);
const seed = flag('seed', 0);
const cut = flag('snippet', 30);
const json = args.includes('--json');

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const corpus = await loadUdhrCorpus();
const loadMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const loadCpuMs = (cpu.user + cpu.system) / 1000;
const classes = corpus.heldOut;
if (!json) {
  console.log(
    `udhr corpus loaded in ${loadMs.toFixed(0)} ms (${loadCpuMs.toFixed(0)} ms of CPU): ${corpus.train.length} training and ` +
      `${classes.length} held-out languages; ${episodes} episodes, ${shots}-shot, ${queries} queries per class`,
  );
}

// Three protocols: support and queries both cut to --snippet characters (the episodes training
// and `eval` draw with --snippet); whole-paragraph support with queries cut (the episode drawn
// with snippet 0, then each query cut, with the same snippet function); whole paragraphs.
const WAYS = [5, 20, 50, 100];
const configs = [
  ...[...WAYS, 'confusable'].map((w) => ({ w, snippet: cut, querySnippet: 0 })),
  ...[...WAYS, 'confusable'].map((w) => ({ w, snippet: 0, querySnippet: cut })),
  ...[...WAYS, 'confusable'].map((w) => ({ w, snippet: 0, querySnippet: 0 })),
].map(({ w, ...c }) => ({ ways: w === 'confusable' ? 5 : w, confusable: w === 'confusable', ...c }));
const describe = (c) =>
  c.querySnippet
    ? `paragraph support, ${c.querySnippet}-char queries`
    : c.snippet
      ? `${c.snippet}-char snippets`
      : 'whole paragraphs';
const rows = [];
for (const c of configs) {
  const t = performance.now();
  // each row has its own stream, so adding a row changes no other row's episodes
  const rng = Rng.fromSeed(
    seed,
    `language-baseline ${c.ways} ${c.snippet} ${c.querySnippet} ${c.confusable}`,
  );
  const acc = [];
  for (let e = 0; e < episodes; e++) {
    const ep = sampleTextEpisode(classes, { ...c, shots, queries }, rng);
    if (c.querySnippet) ep.queryTexts = ep.queryTexts.map((t) => snippet(t, c.querySnippet, rng));
    const pred = trigramBaseline(ep);
    acc.push(pred.filter((p, i) => p === ep.queryLabels[i]).length / pred.length);
  }
  const { mean, ci95 } = meanCi95(acc);
  const row = {
    ...c,
    shots,
    queries,
    episodes,
    accuracy: mean,
    ci95,
    seconds: (performance.now() - t) / 1000,
  };
  rows.push(row);
  if (!json) {
    const what = `${describe(c)}${c.confusable ? ', confusable' : ''}`;
    console.log(
      `${String(c.ways).padStart(3)}-way ${shots}-shot, ${what}: ` +
        `${(100 * mean).toFixed(1)} % ± ${(100 * ci95).toFixed(1)} (${row.seconds.toFixed(1)} s)`,
    );
  }
}
if (json) console.log(JSON.stringify({ loadMs, loadCpuMs, heldOut: classes.length, rows }, null, 1));
