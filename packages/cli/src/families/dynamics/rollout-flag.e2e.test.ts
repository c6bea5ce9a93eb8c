import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as cliIn, type CliResult, expectUserError } from '../../reliability/harness.js';

// Runs the built binary: training on open-loop predictions several steps ahead.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-rollout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): CliResult {
  return cliIn(tmp, ...args);
}

const small = ['--task', 'dynamics', '--env', 'pendulum', '--steps', '3', '--meta-batch', '4'];
const data = ['--variations', '8', '--hidden', '16', '--context', '8'];

describe('train --rollout', () => {
  it('trains on 5-step predictions, saves the horizon with the model, and evaluates', () => {
    const run = join(tmp, 'pendulum');
    const r = cli('train', ...small, ...data, '--rollout', '5', '--out', run);
    expect(r.code, r.err).toBe(0);
    const manifest = JSON.parse(
      readFileSync(join(run, 'checkpoints/step-000000003/checkpoint.json'), 'utf8'),
    );
    expect(manifest.model.rollout).toBe(5);
    const e = cli('eval', '-c', run, '--variations', '4', '--json');
    expect(e.code, e.err).toBe(0);
    expect(Number.isFinite(JSON.parse(e.out).oneStepNmse)).toBe(true);
  }, 240_000);

  it('refuses a horizon that is not a whole number ≥ 1, or longer than an episode, with one line', () => {
    const train = (h: string) => cli('train', ...small, '--rollout', h, '--out', join(tmp, 'bad'));
    expectUserError(train('0'), /--rollout/);
    expectUserError(train('2.5'), /--rollout/);
    expectUserError(train('5000'), /--rollout/);
    expectUserError(train('150'), /rollout/);
  }, 240_000);
});
