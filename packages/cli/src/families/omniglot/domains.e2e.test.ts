import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli as cliIn, type CliResult } from '../../reliability/harness.js';

const CHECKPOINT = fileURLToPath(new URL('../../../../web-demo/public/models/omniglot', import.meta.url));
const SINUSOID = fileURLToPath(new URL('../../../../web-demo/public/models/sinusoid', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-domains-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]): CliResult => cliIn(tmp, ...args, '--cache-dir', join(tmp, 'cache'));

describe.skipIf(!existsSync(join(CHECKPOINT, 'checkpoint.json')))('eval --domain', () => {
  it('prints one JSON object with the domain, protocol and accuracy; the same seed gives the same figure', () => {
    const args = ['eval', '-c', CHECKPOINT, '--domain', 'mnist', '--ways', 'variable', '--episodes', '3'];
    const a = cli(...args, '--json', '--seed', '4');
    expect(a.code).toBe(0);
    const r = JSON.parse(a.out);
    expect(r).toMatchObject({ domain: 'mnist', ways: 'variable', shots: 'variable', episodes: 3, seed: 4 });
    expect(r.accuracy).toBeGreaterThan(0.3);
    expect(r.ci95).toBeGreaterThanOrEqual(0);
    expect(r.meanWays).toBeGreaterThanOrEqual(5);
    expect(r.meanWays).toBeLessThanOrEqual(10);
    expect(JSON.parse(cli(...args, '--json', '--seed', '4').out).accuracy).toBe(r.accuracy);
    const line = cli('eval', '-c', CHECKPOINT, '--domain', 'mnist', '--ways', '10', '--episodes', '2');
    expect(line.out).toMatch(
      /^domain mnist: 2 episodes, 10-way 1-shot: accuracy [\d.]+% ± [\d.]+ \(95% CI\)/,
    );
    // --shots variable keeps the fixed ways with Meta-Dataset's imbalanced shots (= --variable-shots)
    const fixed = ['eval', '-c', CHECKPOINT, '--domain', 'mnist', '--ways', '5', '--episodes', '3', '--json'];
    const v = JSON.parse(cli(...fixed, '--shots', 'variable').out);
    expect(v).toMatchObject({ ways: 5, shots: 'variable', meanWays: 5 });
    expect(v.meanSupport).toBeGreaterThan(5);
    expect(JSON.parse(cli(...fixed, '--variable-shots').out).accuracy).toBe(v.accuracy);
  }, 300_000);

  it('refuses an unknown domain and more ways than the domain has classes: one line, exit 2', () => {
    for (const [args, message] of [
      [['--domain', 'cifar'], 'unknown domain "cifar": expected one of omniglot, mnist, scripts, emoji'],
      [['--domain', 'mnist', '--ways', '12'], '--ways 12 exceeds the 10 classes of domain mnist'],
      [['--ways', 'variable'], '--ways variable and --shots variable need --domain NAME'],
      [['--shots', 'variable'], '--ways variable and --shots variable need --domain NAME'],
      [['--shots', 'many'], 'must be an integer from 1 to 10000, or "variable"'],
      [['--domain', 'mnist', '--shots', '2', '--variable-shots'], 'give --shots K or --variable-shots'],
    ] as const) {
      const r = cli('eval', '-c', CHECKPOINT, ...args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(message);
    }
    const sinusoid = spawnSync(process.execPath, [BIN, 'eval', '-c', SINUSOID, '--shots', 'variable'], {
      cwd: tmp,
      encoding: 'utf8',
    });
    expect(sinusoid.status).toBe(2);
    expect(sinusoid.stderr.trim()).toBe(
      'hypermeta: --shots variable is not a setting of sinusoid: give a number',
    );
  }, 300_000);
});
