import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import type { BenchReport } from '../../../bench/run-bench.js';
import type { BenchOptions } from '../../cli-family.js';
import type { DynamicsBenchResult, EnvResult } from './format.js';
import { dynamicsBench } from './index.js';
import { probePeer } from './mujoco-peer.js';

// Tiny sizes: a check that every figure is produced and finite, not a measurement.
const SUITE_DIR = fileURLToPath(
  new URL('../../../../../../../shared/data/dm_control_suite', import.meta.url),
);
const SUITE = existsSync(SUITE_DIR) ? SUITE_DIR : undefined;
const PYTHON = process.env.PYTHON ?? 'python3';
const peer = probePeer(PYTHON);
if ('reason' in peer) console.log(`MuJoCo Python agreement test skipped: ${peer.reason}`);
if (!SUITE)
  console.log(`dm_control's suite is not at ${SUITE_DIR}: the bench test measures the pendulum only`);

const TINY = {
  backend: 'wasm',
  seed: 1,
  dynamicsEnvs: SUITE ? ['pendulum', 'cheetah'] : ['pendulum'],
  suiteDir: SUITE,
  simVariations: 2,
  simSteps: 20,
  loopSteps: 50,
  simPairs: 1,
  python: PYTHON,
  context: 4,
  genReps: 3,
  genTasks: 5,
  predictSizes: [
    [1, 1],
    [2, 3],
  ],
  predictMs: 5,
  planHorizon: 3,
  planCandidates: 6,
  planIterations: 1,
  planReps: 1,
  planSimReps: 1,
} satisfies BenchOptions & Record<string, unknown>;

async function run(o: Record<string, unknown>): Promise<DynamicsBenchResult> {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const fields = await dynamicsBench.run({ ...TINY, ...o }, () => {});
  expect(tf.memory().numTensors).toBe(before); // every tensor the sections made is freed
  return fields.dynamics as DynamicsBenchResult;
}

const positive = (x: unknown) => {
  expect(typeof x).toBe('number');
  expect(Number.isFinite(x as number) && (x as number) > 0).toBe(true);
};

function checkFigures(e: EnvResult): void {
  const s = e.simulation!;
  for (const fig of [s.rollout, s.loop, ...(s.lockstep ? [s.lockstep] : [])]) positive(fig.stepsPerS);
  positive(e.generation!.msPerTask);
  positive(e.generation!.batchUsPerTask);
  positive(e.generation!.generatedParams);
  expect(e.prediction!.map((p) => [p.tasks, p.states])).toEqual(TINY.predictSizes);
  for (const p of e.prediction!) positive(p.predictionsPerS);
  const plan = e.planning!;
  if ('skipped' in plan) throw new Error(plan.skipped);
  expect(plan.modelStepsPerPlan).toBe(3 * 6 * 1);
  for (const x of [plan.adaptMs, plan.learned.msPerPlan, plan.simulator!.msPerPlan]) positive(x);
}

describe('hypermeta bench --task dynamics', () => {
  it('measures every section without the Python peer, and says why it is missing', async () => {
    const r = await run({
      python: '/nonexistent/python3',
      dynamicsEnvs: ['pendulum', 'cheetah'],
      suiteDir: undefined,
    });
    expect(r.peer?.reason).toMatch(/not importable by \/nonexistent\/python3/);
    const [pendulum, cheetah] = r.envs;
    expect(cheetah).toEqual({ env: 'cheetah', skipped: expect.stringMatching(/--suite-dir/) });
    checkFigures(pendulum);
    expect(pendulum.simulation!.rollout.pythonStepsPerS).toBeUndefined();
    expect(pendulum.simulation!.agreement).toBeUndefined();
    const text = dynamicsBench.format({ dynamics: r } as unknown as BenchReport);
    expect(Object.keys(text)).toEqual(['f', 'g', 'h', 'i']);
    expect(text.f).toMatch(/no Python figures: .*not importable/);
    expect(text.f).toMatch(/cheetah left out/);
  });

  it.runIf('mujoco' in peer)(
    "steps the same states as MuJoCo's Python binding, and times both in turns",
    async () => {
      const r = await run({});
      expect(r.peer?.mujoco).toBe('3.14.0');
      expect(r.envs.map((e) => e.env)).toEqual(TINY.dynamicsEnvs);
      for (const e of r.envs) {
        checkFigures(e);
        const s = e.simulation!;
        expect(s.peerError).toBeUndefined();
        expect(s.agreement!.ok).toBe(true);
        expect(s.agreement!.rolloutMaxDiff).toBeLessThanOrEqual(s.agreement!.tolerance.rollout);
        expect(s.agreement!.loopMaxDiff).toBeLessThanOrEqual(s.agreement!.tolerance.loop);
        for (const fig of [s.rollout, s.loop]) {
          positive(fig.pythonStepsPerS);
          positive(fig.ratio);
        }
      }
      expect(dynamicsBench.format({ dynamics: r } as unknown as BenchReport).f).toMatch(
        /same states as Python/,
      );
    },
  );

  // The command line: the family's flags reach the bench, and a bad one is one line with exit code 2.
  const BIN = fileURLToPath(new URL('../../../../dist/main.js', import.meta.url));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'bench', '--task', 'dynamics', '--backends', 'wasm', ...args], {
      encoding: 'utf8',
      timeout: 240_000,
    });

  it.runIf(existsSync(BIN))('prints the dynamics sections in one JSON object', () => {
    const r = cli(
      ...['--dynamics-envs', 'pendulum', '--python', '/nonexistent/python3', '--sim-variations', '1'],
      ...['--sim-steps', '10', '--loop-steps', '10', '--sim-pairs', '1', '--context', '4', '--gen-reps', '2'],
      ...['--gen-tasks', '3', '--predict-sizes', '1x2', '--predict-ms', '5', '--plan-horizon', '2'],
      ...[
        '--plan-candidates',
        '4',
        '--plan-iterations',
        '1',
        '--plan-reps',
        '1',
        '--plan-sim-reps',
        '0',
        '--json',
      ],
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(j.families).toEqual(['dynamics']);
    expect(j.dynamics.context).toBe(4);
    expect(j.dynamics.envs[0].env).toBe('pendulum');
    expect(j.dynamics.envs[0].planning.simulator).toBeUndefined();
    positive(j.dynamics.envs[0].planning.learned.msPerPlan);
    expect(j.targets).toEqual([]);
  });

  it.runIf(existsSync(BIN))('refuses bad dynamics flags with one line and exit code 2', () => {
    for (const args of [
      ['--predict-sizes', '1x'],
      ['--sim-steps', '0'],
      ['--dynamics-envs', 'nonesuch', '--suite-dir', '.'],
    ]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
