import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as cliIn, type CliResult, expectUserError } from '../../reliability/harness.js';

// The built binary on the shipped pendulum: on-policy rounds saved in the run folder, and a
// stopped run resumed from them ending where an uninterrupted one does.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-on-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): CliResult {
  return cliIn(tmp, ...args);
}

const run = [
  ...['train', '--task', 'dynamics', '--env', 'pendulum', '--steps', '40', '--meta-batch', '8'],
  ...['--variations', '16', '--hidden', '32,32', '--checkpoint-every', '10'],
  ...['--on-policy', '1', '--on-policy-variations', '4', '--on-policy-steps', '40'],
];
const weights = (dir: string) => readFileSync(join(dir, 'checkpoints/step-000000040/weights.bin'));
const lastEval = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1);

describe('hypermeta train --on-policy, end to end', () => {
  const whole = join(tmp, 'whole');

  it('collects a round before the middle step, logs it and saves it in the run folder', () => {
    const t = cli(...run, '--out', whole);
    expect(t.code, t.err).toBe(0);
    expect(t.err).toMatch(/on-policy round 1\/1 before step 20: 4 episodes, mean return \d+\.\d\d, [\d.]+ s/);
    const files = readdirSync(join(whole, 'on-policy'));
    expect(files).toContain('index.json');
    const bin = files.find((f) => /^round-1-[0-9a-f]{16}\.bin$/.test(f));
    expect(bin).toBeDefined();
    const index = JSON.parse(readFileSync(join(whole, 'on-policy/index.json'), 'utf8'));
    expect(index.rounds).toHaveLength(1);
    expect(index.rounds[0]).toMatchObject({ round: 1, step: 20, file: bin, stateSize: 2, nu: 1 });
    // Four episodes of 40 steps: 41 states of 2 values and 40 actions each, Float32.
    expect(index.rounds[0].bytes).toBe(4 * 4 * (41 * 2 + 40));
    const config = JSON.parse(
      readFileSync(join(whole, 'checkpoints/step-000000040/checkpoint.json'), 'utf8'),
    );
    expect(config.model.data.onPolicy).toMatchObject({ rounds: 1, variations: 4, steps: 40 });
  });

  it('resumes a run stopped after the round with its saved episodes, ending with the same numbers', () => {
    const parts = join(tmp, 'parts');
    expect(cli(...run, '--out', parts, '--stop-at', '30').code).toBe(0);
    const r = cli('train', '--resume', parts);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/on-policy round 1\/1 loaded \(collected before step 20\): 4 episodes/);
    expect(weights(parts).equals(weights(whole))).toBe(true);
    expect(lastEval(parts)).toBe(lastEval(whole));
  });

  it('collects the round at its own step when resumed before it, ending with the same numbers', () => {
    const early = join(tmp, 'early');
    expect(cli(...run, '--out', early, '--stop-at', '10').code).toBe(0);
    const r = cli('train', '--resume', early);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/on-policy round 1\/1 before step 20/);
    expect(weights(early).equals(weights(whole))).toBe(true);
  });

  it('refuses to resume from a damaged round file in one line, and without --on-policy flags on resume', () => {
    const damaged = join(tmp, 'damaged');
    expect(cli(...run, '--out', damaged, '--stop-at', '30').code).toBe(0);
    const bin = readdirSync(join(damaged, 'on-policy')).find((f) => f.endsWith('.bin'))!;
    writeFileSync(join(damaged, 'on-policy', bin), 'not a round');
    // Found when the round is due, after the training's first line: one error line, exit 2.
    const r = cli('train', '--resume', damaged);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err.trim().split('\n').at(-1)).toMatch(/hypermeta: .*on-policy round 1 cannot be used/);
    expectUserError(
      cli('train', '--resume', damaged, '--on-policy', '2'),
      /--on-policy.*cannot change when resuming/,
    );
  });

  it("takes the collecting planner's settings from a --config file, the flags over it", () => {
    const file = join(tmp, 'on-policy-config.json');
    const onPolicy = { rounds: 1, variations: 4, steps: 40, horizon: 5, candidates: 12, iterations: 1 };
    writeFileSync(file, JSON.stringify({ model: { data: { onPolicy } } }));
    const dir = join(tmp, 'configured');
    const base = run.slice(0, run.indexOf('--on-policy'));
    const t = cli(...base, '--steps', '10', '--config', file, '--on-policy-steps', '36', '--out', dir);
    expect(t.code, t.err).toBe(0);
    expect(t.err).toMatch(/on-policy round 1\/1 before step 5: 4 episodes/);
    const saved = join(dir, 'checkpoints/step-000000010/checkpoint.json');
    const config = JSON.parse(readFileSync(saved, 'utf8'));
    expect(config.model.data.onPolicy).toEqual({ ...onPolicy, steps: 36, noise: 0.1 });
  });

  it('refuses bad on-policy values in one line', () => {
    const base = ['train', '--task', 'dynamics', '--env', 'pendulum', '--variations', '16'];
    const out = ['--out', join(tmp, 'bad')];
    expectUserError(cli(...base, '--on-policy', '0', ...out), /--on-policy.*integer from 1/);
    expectUserError(cli(...base, '--on-policy-steps', '50', ...out), /--on-policy-steps needs --on-policy/);
    expectUserError(
      cli(...base, '--on-policy', '1', '--on-policy-variations', '17', ...out),
      /onPolicy\.variations must be an integer from 1 to 16/,
    );
    expectUserError(
      cli(...base, '--on-policy', '1', '--on-policy-steps', '8', ...out),
      /on-policy episodes of 8 steps are shorter than contexts of up to 32/,
    );
  });
});
