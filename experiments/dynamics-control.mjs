// Model-predictive control with each method's dynamics model, and with the true simulator (the
// ceiling), on the same held-out episodes; prints a table and the targets' ratios.
// Usage: node experiments/dynamics-control.mjs --runs DIR [--methods global,concat,maml,hypernet,oracle]
//   [--episodes 3] [--steps N] [--range a] [--candidates 100] [--horizon 30] [--iterations 3] [--no-ceiling]
// DIR holds one trained run per method (experiments/dynamics-methods.mjs --out DIR makes them).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    runs: { type: 'string' },
    methods: { type: 'string', default: 'global,concat,maml,hypernet,oracle' },
    episodes: { type: 'string', default: '3' },
    steps: { type: 'string' },
    candidates: { type: 'string', default: '100' },
    horizon: { type: 'string', default: '30' },
    iterations: { type: 'string', default: '3' },
    'no-ceiling': { type: 'boolean', default: false },
    'suite-dir': { type: 'string' },
    range: { type: 'string' },
  },
});
if (!o.runs) throw new Error('--runs DIR is required');
const BIN = new URL('../packages/cli/dist/main.js', import.meta.url).pathname;
const common = [
  '--json',
  '--episodes',
  o.episodes,
  '--candidates',
  o.candidates,
  '--horizon',
  o.horizon,
  '--iterations',
  o.iterations,
  ...(o.steps ? ['--steps', o.steps] : []),
  ...(o.range ? ['--range', o.range] : []),
  ...(o['suite-dir'] ? ['--suite-dir', o['suite-dir']] : []),
];
const control = (args) =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [BIN, 'control', ...args, ...common]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(err.trim().split('\n').pop()));
      const wallS = (performance.now() - t0) / 1000;
      resolve(
        out
          .trim()
          .split('\n')
          .map((l) => ({ ...JSON.parse(l), wallS })),
      );
    });
  });
const methods = o.methods.split(',');
// The ceiling runs beside the learned models (it is the slow one); the learned ones one by one.
const ceiling = o['no-ceiling']
  ? Promise.resolve([])
  : control(['-c', join(o.runs, methods[0]), '--ceiling-only']);
const rows = [];
for (const m of methods) {
  const [r] = await control(['-c', join(o.runs, m)]);
  rows.push(r);
  console.error(`${m} done in ${r.wallS.toFixed(0)} s`);
}
rows.push(...(await ceiling));
const f = (v, d = 1) => (v === null || v === undefined ? '—' : v.toFixed(d));
console.log(
  '| model | return | after the change | recovery s (median) | recovered | planning ms/step | wall s |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.method} | ${f(r.return)} ± ${f(r.ci95)} | ${f(r.returnAfterChange)} ± ${f(r.returnAfterChangeCi95)} | ` +
      `${f(r.recoverySeconds, 2)} | ${r.recovered}/${r.recoveryEpisodes} | ${f(r.planMsPerStep, 0)} | ${f(r.wallS, 0)} |`,
  );
const by = Object.fromEntries(rows.map((r) => [r.method, r]));
if (by.hypernet && by.oracle)
  console.log(`hypernet / oracle: ${(by.hypernet.return / by.oracle.return).toFixed(2)}`);
if (by.hypernet && by.global)
  console.log(`hypernet / global: ${(by.hypernet.return / by.global.return).toFixed(2)}`);
console.log(JSON.stringify(rows));
