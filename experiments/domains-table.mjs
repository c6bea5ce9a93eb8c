#!/usr/bin/env node
// Every method on every domain: 5-way 1-shot and Meta-Dataset's variable protocol (600 episodes
// each, 95% intervals), MNIST 10-way 1-shot beside Koch et al.'s published figure, as a markdown
// table (docs/DOMAINS.md quotes it). Each evaluation is one `hypermeta eval --domain … --json`;
// results are appended to --results as they come, and rows already there are not run again, so
// an interrupted run continues where it stopped and methods can be added later.
//
//   node experiments/domains-table.mjs --method hypernet=packages/web-demo/public/models/omniglot \
//     --method protonet=/work/runs/og-protonet [--domains omniglot,mnist,scripts,emoji] \
//     [--episodes 600] [--backend node] [--data-dir DIR] [--cache-dir DIR] [--results FILE] [--table-only]
//     [--protocols '5-way 1-shot,10-way 1-shot,variable']
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/cli/dist/main.js');

function parseArgs(argv) {
  const o = {
    methods: [],
    domains: 'omniglot,mnist,scripts,emoji',
    episodes: 600,
    backend: 'node',
    dataDir: '/work/shared/data/omniglot',
    cacheDir: undefined,
    results: join(root, 'experiments/domains-results.jsonl'),
    tableOnly: false,
    seed: 1,
    protocols: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--method') {
      const [name, dir] = next().split('=');
      o.methods.push({ name, dir: resolve(dir) });
    } else if (a === '--domains') o.domains = next();
    else if (a === '--episodes') o.episodes = Number(next());
    else if (a === '--backend') o.backend = next();
    else if (a === '--data-dir') o.dataDir = next();
    else if (a === '--cache-dir') o.cacheDir = next();
    else if (a === '--results') o.results = resolve(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--table-only') o.tableOnly = true;
    else if (a === '--protocols') o.protocols = next().split(',');
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const o = parseArgs(process.argv.slice(2));
const domains = o.domains.split(',');
/** The protocols of the table: [label, ways, shots]; MNIST adds its 10-way row. */
const protocols = (domain) => [
  ['5-way 1-shot', '5', '1'],
  ['variable', 'variable', undefined],
  ...(domain === 'mnist' ? [['10-way 1-shot', '10', '1']] : []),
];
const key = (r) => `${r.method}|${r.domain}|${r.protocol}|${r.episodes}|${r.seed}`;

const done = new Map();
if (existsSync(o.results))
  for (const line of readFileSync(o.results, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    done.set(key(r), r);
  }

if (!o.tableOnly)
  for (const m of o.methods)
    for (const domain of domains)
      for (const [protocol, ways, shots] of protocols(domain)) {
        const want = { method: m.name, domain, protocol, episodes: o.episodes, seed: o.seed };
        if (done.has(key(want))) continue;
        // --protocols runs only the named rows (e.g. the quick fixed-way ones first)
        if (o.protocols && !o.protocols.includes(protocol)) continue;
        const args = [cli, 'eval', '--checkpoint', m.dir, '--domain', domain, '--ways', ways];
        if (shots) args.push('--shots', shots);
        args.push('--episodes', String(o.episodes), '--seed', String(o.seed), '--backend', o.backend);
        args.push('--data-dir', o.dataDir, '--json');
        if (o.cacheDir) args.push('--cache-dir', o.cacheDir);
        const t0 = Date.now();
        const out = execFileSync('node', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        const r = JSON.parse(out.trim().split('\n').pop());
        const row = {
          ...want,
          accuracy: r.accuracy,
          ci95: r.ci95,
          meanWays: r.meanWays,
          seconds: (Date.now() - t0) / 1000,
        };
        appendFileSync(o.results, JSON.stringify(row) + '\n');
        done.set(key(row), row);
        process.stderr.write(
          `${m.name} ${domain} ${protocol}: ${(100 * r.accuracy).toFixed(1)} ± ${(100 * r.ci95).toFixed(1)} (${row.seconds.toFixed(0)} s)\n`,
        );
      }

// The table: one row per domain and protocol, one column per method with results.
const methods = [
  ...new Set([...done.values()].filter((r) => r.episodes === o.episodes).map((r) => r.method)),
];
const cell = (method, domain, protocol) => {
  const r = done.get(key({ method, domain, protocol, episodes: o.episodes, seed: o.seed }));
  return r ? `${(100 * r.accuracy).toFixed(1)} ± ${(100 * r.ci95).toFixed(1)}` : '–';
};
const lines = [
  `| domain | protocol | ${methods.join(' | ')} |`,
  `| --- | --- | ${methods.map(() => '---:').join(' | ')} |`,
];
for (const domain of domains)
  for (const [protocol] of protocols(domain))
    lines.push(`| ${domain} | ${protocol} | ${methods.map((m) => cell(m, domain, protocol)).join(' | ')} |`);
lines.push(
  `| mnist | 10-way 1-shot, Koch et al. 2015 (siamese net trained on Omniglot; published) | ${methods.map(() => '70.3').join(' | ')} |`,
);
console.log(lines.join('\n'));

// The comparison on the domains not trained on (all but omniglot): mean and wins, per protocol.
const unseen = domains.filter((d) => d !== 'omniglot');
for (const [protocol] of [['5-way 1-shot'], ['variable']]) {
  const acc = (m, d) =>
    done.get(key({ method: m, domain: d, protocol, episodes: o.episodes, seed: o.seed }))?.accuracy;
  const complete = methods.filter((m) => unseen.every((d) => acc(m, d) !== undefined));
  if (complete.length === 0) continue;
  const means = complete.map(
    (m) => `${m} ${(100 * (unseen.reduce((s, d) => s + acc(m, d), 0) / unseen.length)).toFixed(1)}`,
  );
  let wins = '';
  if (complete.includes('hypernet') && complete.includes('protonet')) {
    const n = unseen.filter((d) => acc('hypernet', d) > acc('protonet', d)).length;
    wins = `; hypernet ahead of protonet on ${n} of ${unseen.length}`;
  }
  console.log(`\nunseen domains (${unseen.join(', ')}), ${protocol}: mean ${means.join(', ')}${wins}`);
}
