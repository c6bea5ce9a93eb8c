import { InvalidArgumentError as CommanderArgError, Option } from 'commander';
import {
  defaultDynamicsConfig,
  type DynamicsConfig,
  DynamicsData,
  DynamicsModel,
  envSpec,
  InvalidArgumentError,
} from '@hypermeta/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from '../../../bench/run-bench.js';
import { intArg } from '../../../options.js';
import { chooseModel, type ModelSource } from '../../../physics/model-source.js';
import { SHIPPED_MODELS } from '../../../physics/models/index.js';
import { MujocoSimulator } from '../../../physics/mujoco-simulator.js';
import type { BenchOptions, FamilyBench } from '../../cli-family.js';
import { formatDynamics, type DynamicsBenchResult, type EnvResult } from './format.js';
import { generationBench, predictionBench } from './generation.js';
import { MujocoPeer, PEER_SCRIPT, probePeer } from './mujoco-peer.js';
import { planningBench } from './planning.js';
import { simulationBench } from './simulation.js';

/** Dynamics' bench flags. */
interface DynamicsBenchOptions extends BenchOptions {
  dynamicsEnvs: string[];
  suiteDir?: string;
  simVariations: number;
  simSteps: number;
  loopSteps: number;
  simPairs: number;
  python: string;
  context: number;
  genReps: number;
  genTasks: number;
  predictSizes: [number, number][];
  predictMs: number;
  planHorizon?: number;
  planCandidates?: number;
  planIterations?: number;
  planReps: number;
  planSimReps: number;
}

/** Variations collected per environment for the contexts and the normalisation statistics. */
const DATA_VARIATIONS = 16;

function sizeList(v: string): [number, number][] {
  const list = v.split(',').map((s) => /^(\d+)x(\d+)$/.exec(s.trim()));
  const sizes = list.map((m) => (m ? ([Number(m[1]), Number(m[2])] as [number, number]) : undefined));
  if (!sizes.length || sizes.some((s) => !s || s[0] < 1 || s[1] < 1 || s[0] * s[1] > 1_000_000))
    throw new CommanderArgError('must be a comma-separated list of TxN (tasks × states, T·N ≤ 1,000,000)');
  return sizes as [number, number][];
}

const flags = () => [
  new Option(
    '--dynamics-envs <list>',
    "environments measured: shipped models, or dm_control's with --suite-dir (others are skipped without it)",
  )
    .argParser((v: string) => v.split(',').map((s) => s.trim()))
    .default(['pendulum', 'cheetah'], 'pendulum,cheetah'),
  new Option('--suite-dir <dir>', "folder of dm_control's suite MJCF files (cheetah.xml, common/…)"),
  new Option('--sim-variations <n>', 'variations simulated per timing')
    .argParser(intArg(1, 10_000))
    .default(32),
  new Option('--sim-steps <n>', 'steps per variation (the episodes training collects are 100)')
    .argParser(intArg(1, 100_000))
    .default(100),
  new Option('--loop-steps <n>', 'steps of the bare engine loop')
    .argParser(intArg(1, 10_000_000))
    .default(3000),
  new Option('--sim-pairs <n>', 'timings of each side, taken in turns (median)')
    .argParser(intArg(1, 1000))
    .default(5),
  new Option('--python <cmd>', "interpreter with MuJoCo's Python binding (mujoco==3.14.0)").default(
    process.env.PYTHON ?? 'python3',
  ),
  new Option('--context <k>', 'context transitions K adapted from').argParser(intArg(1, 100)).default(16),
  new Option('--gen-reps <n>', 'single-task generations timed (median)')
    .argParser(intArg(1, 100_000))
    .default(200),
  new Option('--gen-tasks <n>', 'tasks generated in one pass').argParser(intArg(1, 100_000)).default(1000),
  new Option('--predict-sizes <list>', 'one-step prediction calls measured, TxN: T tasks × N states each')
    .argParser(sizeList)
    .default(sizeList('1x1,1x200,64x200,1000x1'), '1x1,1x200,64x200,1000x1'),
  new Option('--predict-ms <ms>', 'minimum wall time per prediction figure')
    .argParser(intArg(1, 600_000))
    .default(1000),
  new Option('--plan-horizon <h>', "planned steps (default the planner's, 30)").argParser(intArg(1, 10_000)),
  new Option(
    '--plan-candidates <n>',
    "action sequences per iteration (default the planner's, 200)",
  ).argParser(intArg(2, 1_000_000)),
  new Option('--plan-iterations <n>', "CEM iterations per plan (default the planner's, 4)").argParser(
    intArg(1, 1000),
  ),
  new Option('--plan-reps <n>', 'plans timed through the generated network (median)')
    .argParser(intArg(1, 1000))
    .default(5),
  new Option('--plan-sim-reps <n>', 'plans timed through the true simulator (0: none)')
    .argParser(intArg(0, 1000))
    .default(1),
];

/** The environments to measure, each with its model file, or why it is left out. */
function sources(
  o: DynamicsBenchOptions,
): ({ name: string; source: ModelSource } | { name: string; skipped: string })[] {
  return o.dynamicsEnvs.map((name) => {
    if (o.suiteDir && existsSync(join(o.suiteDir, `${name}.xml`)))
      return { name, source: chooseModel({ env: name, suiteDir: o.suiteDir }) };
    if (SHIPPED_MODELS[name] !== undefined) return { name, source: chooseModel({ env: name }) };
    if (!o.suiteDir)
      return { name, skipped: `dm_control's ${name} needs --suite-dir DIR with ${name}.xml in it` };
    throw new InvalidArgumentError(
      `bench: no ${name}.xml in ${o.suiteDir}, and ${name} is not a shipped model`,
    );
  });
}

/** The product's default hypernet dynamics model for this simulator, fitted to its data's statistics. */
function benchModel(sim: MujocoSimulator, source: ModelSource, data: DynamicsData, o: DynamicsBenchOptions) {
  const config: DynamicsConfig = {
    ...defaultDynamicsConfig('dynamics', 'hypernet'),
    env: envSpec(sim, source.source, source.file),
    context: o.context,
    norm: data.normStats(),
  };
  return new DynamicsModel(config, o.seed);
}

async function measureEnv(
  source: ModelSource,
  o: DynamicsBenchOptions,
  peer: MujocoPeer | undefined,
  log: (s: string) => void,
): Promise<EnvResult> {
  const sim = await MujocoSimulator.load(source);
  const settings = {
    ...defaultDynamicsConfig('dynamics', 'hypernet').data,
    seed: o.seed,
    variations: DATA_VARIATIONS,
  };
  const data = new DynamicsData(sim, settings);
  const name = source.name;
  try {
    log(`f. environment steps/s: ${name}`);
    const simulation = await simulationBench(
      sim,
      source,
      {
        variations: o.simVariations,
        steps: o.simSteps,
        loopSteps: o.loopSteps,
        pairs: o.simPairs,
        seed: o.seed,
        settings,
      },
      peer,
      log,
    );
    const model = benchModel(sim, source, data, o);
    try {
      log(`g. generation per task: ${name}`);
      const generation = generationBench(model, data, {
        context: o.context,
        reps: o.genReps,
        batchTasks: o.genTasks,
        seed: o.seed,
      });
      log(`h. one-step prediction throughput: ${name}`);
      const prediction = predictionBench(model, data, {
        context: o.context,
        sizes: o.predictSizes,
        minMs: o.predictMs,
        seed: o.seed,
      });
      log(`i. MPC planning step: ${name}`);
      let planning: EnvResult['planning'];
      try {
        planning = planningBench(model, data, sim, {
          context: o.context,
          horizon: o.planHorizon,
          candidates: o.planCandidates,
          iterations: o.planIterations,
          reps: o.planReps,
          simReps: o.planSimReps,
          seed: o.seed,
        });
      } catch (e) {
        // An environment no control task is defined for (e.g. a reacher): said, not fatal.
        if (!(e instanceof InvalidArgumentError)) throw e;
        planning = { skipped: e.message };
      }
      const info = sim.info;
      return {
        env: name,
        source: source.source,
        stateSize: model.outSize,
        actions: info.nu,
        dt: info.dt,
        simulation,
        generation,
        prediction,
        planning,
      };
    } finally {
      model.dispose();
    }
  } finally {
    data.dispose();
  }
}

/** Starts MuJoCo's Python binding beside this process, or says why it cannot. */
async function startPeer(
  python: string,
): Promise<{ peer?: MujocoPeer; status: DynamicsBenchResult['peer'] }> {
  const probe = probePeer(python);
  if ('reason' in probe) return { status: { python, script: PEER_SCRIPT, reason: probe.reason } };
  try {
    const { peer, mujoco } = await MujocoPeer.start(python);
    return { peer, status: { python, script: PEER_SCRIPT, mujoco } };
  } catch (e) {
    return { status: { python, script: PEER_SCRIPT, reason: e instanceof Error ? e.message : String(e) } };
  }
}

/**
 * Dynamics' sections: f (environment steps/s of the product's MuJoCo simulator, its variations one
 * at a time and in lockstep, and of the bare engine, beside MuJoCo's Python binding on the same
 * MJCF), g (generation time per task, alone and batched), h (one-step prediction throughput) and
 * i (an MPC planning step through the generated network and through the true simulator). No
 * targets: the product's specification sets none for them, so they are reported only.
 */
export const dynamicsBench: FamilyBench = {
  summary: 'MuJoCo: f, g, h, i',
  flags,
  async run(options, log) {
    const o = options as DynamicsBenchOptions;
    const envs = sources(o);
    const measured = envs.filter((e): e is { name: string; source: ModelSource } => 'source' in e);
    const { peer, status } = measured.length
      ? await startPeer(o.python)
      : { peer: undefined, status: undefined };
    if (status?.reason) log(`f. no MuJoCo Python figures: ${status.reason}`);
    const results: EnvResult[] = [];
    try {
      for (const e of envs)
        results.push(
          'source' in e ? await measureEnv(e.source, o, peer, log) : { env: e.name, skipped: e.skipped },
        );
    } finally {
      await peer?.close();
    }
    const dynamics: DynamicsBenchResult = {
      method: 'hypernet',
      model:
        'default sizes (MLP 64-64, code 32, encoder 64-64/64, generator 64), untrained: timings do not depend on the weights',
      context: o.context,
      ...(status ? { peer: status } : {}),
      envs: results,
    };
    return { dynamics };
  },
  format: (r: BenchReport) => formatDynamics(r.dynamics as DynamicsBenchResult | undefined),
  targets: () => ({}),
};
