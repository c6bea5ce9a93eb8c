// Experiment (not shipped): accuracy against task-network width C for each method, from the JSON
// lines generated-vs-size.mjs writes (docs/figures/generated-vs-size.svg). Several files may be
// given; one eval protocol is drawn (default 20-way 1-shot). --seed and --backend keep only the runs
// of that seed / backend (the results file holds several of each, which would draw two points per C).
// A run marked "rerunOf" (the same run again, to check it reproduces) is left out.
//   node experiments/generated-vs-size-plot.mjs OUT.svg RESULTS.jsonl… [--ways 20] [--shots 1]
//     [--seed 1] [--backend node]
// Needs a built packages/cli (npm run build).
import { readFileSync } from 'node:fs';
import { writeFigure } from '../packages/cli/dist/plot/figure-file.js';

const args = process.argv.slice(2);
const opt = (name, fallback, parse = Number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = parse(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const ways = opt('ways', 20);
const shots = opt('shots', 1);
const seed = opt('seed', null);
const backend = opt('backend', null, String);
const [out, ...files] = args;
const rows = [];
for (const file of files)
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const run = JSON.parse(line);
    if (run.rerunOf) continue;
    if ((seed !== null && run.seed !== seed) || (backend !== null && run.backend !== backend)) continue;
    const r = run.results.find((x) => x.ways === ways && x.shots === shots);
    if (r)
      rows.push({
        method: run.method,
        C: run.C,
        accuracy: r.accuracy,
        lo: r.accuracy - r.ci95,
        hi: r.accuracy + r.ci95,
      });
  }
const x = {
  field: 'C',
  type: 'quantitative',
  scale: { type: 'log', base: 2 },
  title: 'task-network width C (channels)',
};
await writeFigure(out, {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Held-out Omniglot, ${ways}-way ${shots}-shot: same adapted network size, four methods`,
  width: 520,
  height: 320,
  data: { values: rows },
  layer: [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: { zero: false } },
        color: { field: 'method', type: 'nominal' },
      },
    },
    {
      mark: 'errorbar',
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: 'accuracy (%)' },
        y2: { field: 'hi' },
        color: { field: 'method' },
      },
    },
  ],
});
console.log(`${out}: ${rows.length} points`);
