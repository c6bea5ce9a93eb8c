// Trains every dynamics method on the same data (same seed: same variations and transitions)
// and evaluates each on the same held-out and extrapolation variations, through the CLI.
// Usage: node experiments/dynamics-methods.mjs [--env pendulum] [--steps 600] [--suite-dir DIR]
//   [--variations N] [--broken-motor p] (both default the CLI's) [--out DIR] (keeps the runs
//   there, one folder per method; default a temporary folder)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    env: { type: 'string', default: 'pendulum' },
    steps: { type: 'string', default: '600' },
    variations: { type: 'string' },
    'broken-motor': { type: 'string' },
    context: { type: 'string', default: '16' },
    'suite-dir': { type: 'string' },
    methods: { type: 'string', default: 'global,concat,maml,hypernet,oracle' },
    out: { type: 'string' },
  },
});
const BIN = new URL('../packages/cli/dist/main.js', import.meta.url).pathname;
const dir = o.out ?? mkdtempSync(join(tmpdir(), 'hm-dynamics-'));
const suite = o['suite-dir'] ? ['--suite-dir', o['suite-dir']] : [];
const cli = (...args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').pop());
  return r.stdout;
};
const rows = [];
for (const method of o.methods.split(',')) {
  const run = join(dir, method);
  const t0 = performance.now();
  try {
    cli(
      'train',
      '--task',
      'dynamics',
      '--env',
      o.env,
      ...suite,
      '--method',
      method,
      '--steps',
      o.steps,
      ...(o.variations ? ['--variations', o.variations] : []),
      ...(o['broken-motor'] ? ['--broken-motor', o['broken-motor']] : []),
      '--context',
      o.context,
      '--out',
      run,
      '--checkpoint-every',
      o.steps,
    );
  } catch (e) {
    console.log(`${method.padEnd(8)} failed: ${e.message}`);
    rows.push({ method, failed: e.message });
    continue;
  }
  const trainS = (performance.now() - t0) / 1000;
  const r = JSON.parse(cli('eval', '-c', run, '--json', ...suite));
  rows.push({ method, trainS, ...r });
  const x = r.extrapolation;
  console.log(
    [
      method.padEnd(8),
      r.oneStepNmse.toFixed(4),
      `±${r.ci95.toFixed(4)}`,
      r.horizonNmse.h10.toFixed(3),
      r.horizonNmse.h30.toFixed(3),
      '|',
      x.oneStepNmse.toFixed(4),
      `±${x.ci95.toFixed(4)}`,
      x.horizonNmse.h10.toFixed(3),
      x.horizonNmse.h30.toFixed(3),
      '|',
      r.adaptMsPerTask.toFixed(3),
      `${trainS.toFixed(0)} s`,
    ].join(' '),
  );
}
console.log(JSON.stringify({ env: o.env, steps: Number(o.steps), context: Number(o.context), rows }));
