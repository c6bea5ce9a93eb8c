import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkpointFolders,
  cli,
  expectLossStepsIncreasing,
  expectUserError,
  readMetrics,
} from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-diverge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A real mechanism, no test hook: Adam at a peak lr of 10 blows this model up within a few steps.
const explosive = [
  '--steps',
  '40',
  '--meta-batch',
  '4',
  '--lr',
  '10',
  '--checkpoint-every',
  '1',
  '--log-every',
  '1',
];
const savedLr = (run: string, dir: string) =>
  JSON.parse(readFileSync(join(run, 'checkpoints', dir, 'checkpoint.json'), 'utf8')).train.lr as number;

describe('divergence guard', () => {
  it('stops with one line naming the step and the quantity; the last good checkpoint loads', () => {
    const run = join(tmp, 'stop');
    const r = cli(tmp, 'train', ...explosive, '--out', run);
    const error = r.err
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('hypermeta:'));
    expect(error).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
    const m =
      /^hypermeta: training diverged at step (\d+): the (loss|gradient norm) is (NaN|-?Infinity); nothing was saved from it, (.*)$/.exec(
        error[0],
      );
    expect(m, error[0]).not.toBeNull();
    const diverged = Number(m![1]);
    const { complete, work } = checkpointFolders(run);
    expect(work).toEqual([]);
    // Every step before the diverged one was checkpointed (--checkpoint-every 1); none after it.
    expect(complete.at(-1) ?? 'none').toBe(
      diverged > 1 ? `step-${String(diverged - 1).padStart(9, '0')}` : 'none',
    );
    if (diverged > 1) {
      expect(m![4]).toMatch(new RegExp(`the last good checkpoint is .*${complete.at(-1)}`));
      expect(cli(tmp, 'eval', '--checkpoint', run, '--tasks', '5').code).toBe(0);
    }
    expect(readMetrics(run).every((l) => l.step < diverged)).toBe(true);
  });

  it('rolls back at half the peak lr and finishes; a later resume keeps the lowered lr', () => {
    const run = join(tmp, 'rollback');
    const r = cli(
      tmp,
      'train',
      ...explosive,
      '--checkpoint-every',
      '10',
      '--on-divergence',
      'rollback',
      '--divergence-retries',
      '12',
      '--out',
      run,
    );
    expect(r.code, r.err).toBe(0);
    const rollbacks = readMetrics(run).filter((l) => 'rollback' in l);
    expect(rollbacks.length).toBeGreaterThan(0);
    expect(r.err.match(/rolled back to step \d+ with peak lr/g)).toHaveLength(rollbacks.length);
    const lr = 10 / 2 ** rollbacks.length;
    expect(rollbacks.at(-1)!.lr).toBe(lr);
    expect(savedLr(run, 'step-000000040')).toBe(lr);
    expectLossStepsIncreasing(readMetrics(run));
    expect(cli(tmp, 'train', '--resume', run, '--steps', '45').code).toBe(0);
    expect(savedLr(run, 'step-000000045')).toBe(lr);
  });

  it('gives up after the allowed rollbacks with one line, checkpoints intact', () => {
    const run = join(tmp, 'give-up');
    const r = cli(
      tmp,
      'train',
      ...explosive,
      '--lr',
      '10',
      '--on-divergence',
      'rollback',
      '--divergence-retries',
      '1',
      '--out',
      run,
    );
    expect(r.code).toBe(2);
    expect(
      r.err
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('hypermeta:')),
    ).toEqual([
      expect.stringMatching(
        /^hypermeta: training diverged at step \d+: .*, and 1 rollbacks did not help; the run's checkpoints are intact$/,
      ),
    ]);
    expect(checkpointFolders(run).work).toEqual([]);
    expect(cli(tmp, 'eval', '--checkpoint', run, '--tasks', '5').code).toBe(0);
  });

  it('refuses an unknown policy', () => {
    expectUserError(
      cli(tmp, 'train', '--on-divergence', 'ignore'),
      /--on-divergence.*Allowed choices are stop, rollback/,
    );
  });
});
