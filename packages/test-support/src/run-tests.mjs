// `npm test`: the linter and the formatter's check, then every package built and tested through
// nx; one closing line with the totals ("N passed, N failed, N skipped"), the line CI reads. The
// two checks count as one test each.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Runs a check over the whole repository; its output is shown only when it fails. */
function check(name, args) {
  const r = spawnSync('npx', args, { encoding: 'utf8', env: process.env });
  const ok = r.status === 0;
  console.log(`${name}: ${ok ? 'passed' : 'FAILED'}`);
  if (!ok) process.stdout.write(`${r.stdout}${r.stderr}`);
  return ok;
}

const checks = [
  check('lint (eslint)', ['eslint', '.']),
  check('format (prettier --check)', ['prettier', '--check', '.', '--log-level', 'warn']),
];
const dir = join(process.cwd(), '.test-counts');
rmSync(dir, { recursive: true, force: true });
const r = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'test', '--output-style=static', '--parallel=1', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, HYPERMETA_COUNTS_DIR: dir },
  },
);
const total = { passed: 0, failed: 0, skipped: 0 };
for (const f of existsSync(dir) ? readdirSync(dir) : []) {
  const c = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  for (const k of Object.keys(total)) total[k] += c[k];
}
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0 && total.failed === 0) total.failed = 1; // a build or runner failure counts
for (const ok of checks) total[ok ? 'passed' : 'failed']++;
console.log(`\ntotal: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(r.status === 0 && checks.every(Boolean) ? 0 : r.status || 1);
