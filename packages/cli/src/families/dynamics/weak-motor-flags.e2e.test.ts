import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultCemOptions,
  dynamicsControlTask,
  envSpec,
  motorChangeFits,
  sampleVariation,
  ToyPendulum,
  variationStreams,
} from '@hypermeta/core';
import { cli as cliIn, type CliResult, expectUserError } from '../../reliability/harness.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlEpisodes } from './control-run.js';

// Runs the built binary: weak motors set from the command line, in training and in control.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-weak-motor-'));
const run = join(tmp, 'pendulum');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): CliResult {
  return cliIn(tmp, ...args);
}

// A short, cheap plan (the pendulum's shortest episode: 50 steps of 0.02 s).
const quick = [
  '--episodes',
  '1',
  '--steps',
  '50',
  '--horizon',
  '5',
  '--candidates',
  '8',
  '--iterations',
  '1',
];

let trained: CliResult;
beforeAll(() => {
  trained = cli(
    'train',
    '--task',
    'dynamics',
    '--env',
    'pendulum',
    '--weak-motor',
    '0.5',
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
}, 240_000);

describe('weak motors from the command line', () => {
  it('train --weak-motor writes the probability into the saved model config', () => {
    expect(trained.code, trained.err).toBe(0);
    const manifest = JSON.parse(
      readFileSync(join(run, 'checkpoints/step-000000005/checkpoint.json'), 'utf8'),
    );
    expect(manifest.model.data.weakMotor).toBe(0.5);
    // --weak-motor leaves the broken-motor probability at its default.
    expect(manifest.model.data.brokenMotor).toBe(0.2);
  });

  it('control --change motor --change-strength keeps that fraction of the gear, in words and JSON', () => {
    const r = cli('control', '-c', run, '--change', 'motor', '--change-strength', '0.3', '--json', ...quick);
    expect(r.code, r.err).toBe(0);
    const row = JSON.parse(r.out);
    expect(row).toMatchObject({
      env: 'pendulum',
      episodes: 1,
      steps: 50,
      change: { kind: 'motor', actuator: 0, strength: 0.3 },
      changeDescription: 'motor 0 at 30 %',
    });
    expect(Number.isFinite(row.return)).toBe(true);
    const text = cli('control', '-c', run, '--change', 'motor', '--change-strength', '0.3', ...quick);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/motor 0 at 30 % at 0\.5 s/);
    // Without a strength the motor is disabled, as before.
    const off = cli('control', '-c', run, '--change', 'motor', '--json', ...quick);
    expect(off.code, off.err).toBe(0);
    expect(JSON.parse(off.out)).toMatchObject({
      change: { kind: 'motor', actuator: 0, strength: 0 },
      changeDescription: 'motor 0 disabled',
    });
  }, 240_000);

  it('refuses a bad value with one line and exit 2', () => {
    const train = (p: string) =>
      cli('train', '--task', 'dynamics', '--weak-motor', p, '--steps', '1', '--out', join(tmp, 'bad'));
    expectUserError(train('1.5'), /--weak-motor.*must be a number ≥ 0 and ≤ 1/);
    expectUserError(train('-0.1'), /--weak-motor.*must be a number ≥ 0 and ≤ 1/);
    expectUserError(train('half'), /--weak-motor.*must be a number/);
    const control = (...a: string[]) => cli('control', '-c', run, ...a, ...quick);
    expectUserError(
      control('--change', 'motor', '--change-strength', '1'),
      /--change-strength.*must be a number ≥ 0 and < 1/,
    );
    expectUserError(
      control('--change', 'motor', '--change-strength', '-0.2'),
      /--change-strength.*must be a number ≥ 0 and < 1/,
    );
    expectUserError(
      control('--change', 'mass', '--change-strength', '0.3'),
      /--change-strength applies to --change motor, not mass/,
    );
  }, 240_000);

  it("redraws a held-out variation whose weakened motors leave no room for the change's", () => {
    // The toy pendulum, counted as three motors so a variation can weaken others than the changed one.
    class ThreeMotors extends ToyPendulum {
      override readonly info = {
        ...new ToyPendulum().info,
        counts: { ...new ToyPendulum().info.counts, actuators: 3 },
      };
    }
    const world = new ThreeMotors();
    const settings = { range: 3, extrapolation: 4.5, brokenMotor: 0.5, weakMotor: 1 };
    const change = { kind: 'motor', actuator: 0, strength: 0.3 } as const;
    const env = envSpec(new ToyPendulum(), 'toy');
    const o = {
      task: dynamicsControlTask(env),
      episodes: 6,
      steps: 20,
      change,
      seed: 3,
      cem: defaultCemOptions(env.ctrlRange),
    };
    const episodes = controlEpisodes(world, settings, o, (v) => v);
    expect(episodes).toHaveLength(6);
    for (const e of episodes) expect(motorChangeFits(e.variation, change)).toBe(true);
    // The same stream's first six draws hold some the change does not fit: those were skipped.
    const rng = variationStreams(3).eval;
    const first = Array.from({ length: 6 }, () => sampleVariation(world.info, settings, rng));
    expect(first.some((v) => !motorChangeFits(v, change))).toBe(true);
  });
});
