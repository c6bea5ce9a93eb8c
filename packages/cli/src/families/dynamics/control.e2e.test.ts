import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as cliIn, type CliResult, expectUserError } from '../../reliability/harness.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built binary: model-predictive control with a tiny dynamics checkpoint on the shipped pendulum.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-control-'));
const run = join(tmp, 'pendulum');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): CliResult {
  return cliIn(tmp, ...args);
}

// A short, cheap plan: what is tested is the run and its report, not the control it achieves.
const quick = [
  '--episodes',
  '2',
  '--steps',
  '60',
  '--horizon',
  '5',
  '--candidates',
  '8',
  '--iterations',
  '1',
];

beforeAll(() => {
  const t = cli(
    'train',
    '--task',
    'dynamics',
    '--env',
    'pendulum',
    '--steps',
    '5',
    '--meta-batch',
    '4',
    '--variations',
    '8',
    '--hidden',
    '16',
    '--context',
    '8',
    '--out',
    run,
  );
  expect(t.code).toBe(0);
}, 240_000);

describe('hypermeta control, end to end', () => {
  it('controls the shipped pendulum with the checkpoint and with the true simulator, as JSON', () => {
    const r = cli('control', '-c', run, '--json', '--ceiling', ...quick);
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => x.method)).toEqual(['hypernet', 'simulator']);
    for (const x of rows) {
      expect(x).toMatchObject({
        task: 'swingup',
        env: 'pendulum',
        episodes: 2,
        steps: 60,
        change: { kind: 'mass', body: 0, factor: 2 },
        changeAtSeconds: 0.6,
      });
      for (const v of [x.return, x.ci95, x.returnAfterChange, x.planMsPerStep])
        expect(Number.isFinite(v)).toBe(true);
      expect(x.recoverySeconds === null || Number.isFinite(x.recoverySeconds)).toBe(true);
      // The per-episode figures are the ones the means are taken over.
      expect(x.returnPerEpisode).toHaveLength(2);
      expect(x.returnAfterChangePerEpisode).toHaveLength(2);
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      expect(mean(x.returnPerEpisode)).toBeCloseTo(x.return, 9);
      expect(mean(x.returnAfterChangePerEpisode)).toBeCloseTo(x.returnAfterChange, 9);
      // dm_control's pendulum reward is 0 or 1 per step.
      expect(x.return).toBeGreaterThanOrEqual(0);
      expect(x.return).toBeLessThanOrEqual(60);
    }
    expect(rows[1].modelSimMsPerStep).toBeGreaterThan(0);
    // Same seed, same episodes, same numbers.
    const again = cli('control', '-c', run, '--json', ...quick);
    expect(JSON.parse(again.out).return).toBe(rows[0].return);
  }, 240_000);

  it('refuses another family, an unknown or another environment and a bad change with one line and exit 2', () => {
    const sine = join(tmp, 'sine');
    expect(cli('train', '--task', 'sinusoid', '--steps', '2', '--out', sine).code).toBe(0);
    expectUserError(cli('control', '-c', sine), /control needs a dynamics model; .* holds a sinusoid model/);
    expectUserError(cli('control', '-c', run, '--env', 'nonesuch'), /unknown environment 'nonesuch'/);
    expectUserError(cli('control', '-c', run, '--env', 'cartpole'), /trained on pendulum, not cartpole/);
    expectUserError(cli('control', '-c', run, '--control-task', 'run'), /run needs a walker/);
    expectUserError(cli('control', '-c', run, '--change', 'mass', '--change-body', '3'), /has 1 bodies/);
    expectUserError(cli('control', '-c', join(tmp, 'none')), /./);
  }, 240_000);
});
