import { Option } from 'commander';
import {
  defaultDynamicsConfig,
  type DynamicsConfig,
  type DynamicsMethodName,
  type DynamicsModel,
  envSpec,
  InvalidArgumentError,
  validateDynamicsConfig,
} from '@hypermeta/core';
import { intArg, numArg } from '../../options.js';
import type { CliFamily, Flags } from '../cli-family.js';
import { adaptDynamicsCsv } from './adapt-csv.js';
import { dynamicsBench } from './bench/index.js';
import { loadDynamicsData, type MujocoDynamicsData } from './dynamics-data-source.js';
import { formatDynamicsEval } from './format.js';
import { applyOnPolicyFlags, onPolicyFlags } from './on-policy-flags.js';

const modelFlags = () => [
  new Option(
    '--suite-dir <dir>',
    'dynamics: folder of dm_control suite MJCF files (cheetah.xml, common/…): --env NAME loads NAME.xml from it',
  ),
  new Option('--model-xml <file>', 'dynamics: any MJCF model file (with its includes beside it)'),
  new Option('--context <k>', 'dynamics: context transitions K for evaluation (default 32)').argParser(
    intArg(1, 10_000),
  ),
];

const trainFlags = () => [
  new Option(
    '--env <name>',
    'dynamics: environment: pendulum or cartpole (shipped), or a dm_control name with --suite-dir (default pendulum)',
  ),
  ...modelFlags(),
  new Option('--variations <n>', 'dynamics: training variations simulated (default 2000)').argParser(
    intArg(1, 1_000_000),
  ),
  new Option('--range <a>', 'dynamics: factors 1.5^U(−a, a) (default 3)').argParser(numArg(0, 50)),
  new Option('--broken-motor <p>', 'dynamics: probability of one disabled actuator (default 0.2)').argParser(
    numArg(0, 1, false),
  ),
  new Option(
    '--weak-motor <p>',
    'dynamics: probability of one weak actuator, its gear times s ~ U(0, 1) (default 0)',
  ).argParser(numArg(0, 1, false)),
  new Option('--hidden <sizes>', 'dynamics: hidden layers of the dynamics MLP, e.g. 64,64').argParser(
    (v: string) => v.split(',').map((x) => intArg(1, 65_536)(x)),
  ),
  new Option('--generator <kind>', 'hypernetwork architecture (dynamics hypernet: default mlp)').choices([
    'mlp',
    'chunked',
  ]),
  new Option('--inner-steps <n>', "maml's gradient steps on the context (dynamics: default 3)").argParser(
    intArg(0, 1000),
  ),
  new Option('--inner-lr <x>', 'inner-loop step size').argParser(numArg(0)),
  new Option(
    '--rollout <h>',
    'dynamics: train on open-loop predictions 1…h steps ahead (default 1: one-step error)',
  ).argParser(intArg(1, 1000)),
  ...onPolicyFlags(),
];

/** Few-shot dynamics on MuJoCo: the simulator loaded here and handed to core's family as its data. */
export const dynamicsCli: CliFamily<MujocoDynamicsData> = {
  name: 'dynamics',
  flags: {
    train: trainFlags,
    eval: () => [
      ...modelFlags(),
      new Option(
        '--variations <n>',
        'dynamics: held-out variations per set (default the trained 64)',
      ).argParser(intArg(1, 1_000_000)),
    ],
    adapt: () => [],
  },
  baseModelConfig: (method, f) => {
    const c = defaultDynamicsConfig('dynamics', method as DynamicsMethodName);
    if (f.seed !== undefined) c.data.seed = f.seed as number;
    return c;
  },
  applyModelFlags(config, f: Flags) {
    const c = config as DynamicsConfig;
    if (f.context !== undefined) c.context = f.context as number;
    if (f.variations !== undefined) c.data.variations = f.variations as number;
    if (f.range !== undefined) {
      c.data.range = f.range as number;
      c.data.extrapolation = 1.5 * c.data.range;
    }
    if (f.brokenMotor !== undefined) c.data.brokenMotor = f.brokenMotor as number;
    if (f.weakMotor !== undefined) c.data.weakMotor = f.weakMotor as number;
    if (f.hidden !== undefined) c.hidden = f.hidden as number[];
    if (f.innerSteps !== undefined) c.maml.steps = f.innerSteps as number;
    if (f.innerLr !== undefined) c.maml.lr = f.innerLr as number;
    if (f.rollout !== undefined) c.rollout = f.rollout as number;
    if (f.generator !== undefined) c.generator.kind = f.generator as 'mlp' | 'chunked';
    applyOnPolicyFlags(c, f);
  },
  loadData: (config, f) => loadDynamicsData(config as DynamicsConfig, f),
  fitToData(config, train, data) {
    const c = config as DynamicsConfig;
    c.env = envSpec(data.sim, data.source.source, data.source.file);
    // Before any simulation: a model without actuators or with an oversized state is refused now.
    validateDynamicsConfig(c);
    if (train.shotsMax > c.data.length || c.context > c.data.length)
      throw new InvalidArgumentError(
        `contexts of ${Math.max(train.shotsMax, c.context)} transitions do not fit episodes of ${c.data.length} steps`,
      );
    // Statistics of the training transitions; they travel in the checkpoint with the model.
    c.norm = data.normStats();
  },
  describe: (model, data) => {
    const c = (model as DynamicsModel).config;
    const set = data.set('train');
    return (
      `${c.method} dynamics model on ${c.env.name} (${set.records.length} training variations` +
      `${set.skipped ? `, ${set.skipped} unstable ones skipped` : ''})`
    );
  },
  evalOptions: (model, f, seed) => {
    const c = (model as DynamicsModel).config;
    return {
      context: (f.context as number | undefined) ?? c.context,
      variations: f.variations as number | undefined,
      horizons: [10, 30],
      rolloutStarts: 8,
      extrapolation: true,
      seed,
    };
  },
  formatEval: formatDynamicsEval,
  adapt: (model, req) => adaptDynamicsCsv(model as DynamicsModel, req),
  bench: dynamicsBench,
};
