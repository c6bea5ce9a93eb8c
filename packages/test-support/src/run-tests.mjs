// `npm test`: builds and tests every package through nx, then prints one closing line with the
// totals of all packages ("N passed, N failed, N skipped"), the line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), '.test-counts');
rmSync(dir, { recursive: true, force: true });
const r = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--output-style=static', '--parallel=1', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, HYPERMETA_COUNTS_DIR: dir },
});
const total = { passed: 0, failed: 0, skipped: 0 };
for (const f of existsSync(dir) ? readdirSync(dir) : []) {
  const c = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  for (const k of Object.keys(total)) total[k] += c[k];
}
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0 && total.failed === 0) total.failed = 1; // a build or runner failure counts
console.log(`\ntotal: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(r.status ?? 1);
