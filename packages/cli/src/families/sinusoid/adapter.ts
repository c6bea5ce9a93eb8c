import { Option } from 'commander';
import {
  type ConditioningKind,
  DataError,
  defaultModelConfig,
  type HypernetModel,
  type ModelConfig,
  mlpNetwork,
  perTaskMse,
  Rng,
  SINUSOID,
  tf,
} from '@hypermeta/core';
import { sinusoidWarnings } from './support-check.js';
import { readNumericCsv } from '../../io/csv-points.js';
import { writeCsv } from '../../io/csv-write.js';
import { intArg, numArg } from '../../options.js';
import type { CliFamily } from '../cli-family.js';
import { sinusoidBench } from './bench/index.js';
import { sinusoidPlotFigures } from './plot.js';

/** What the exported task network of one sinusoid task takes and gives. */
const SINUSOID_NOTES = {
  inputNote: `x [N, 1] float32 (trained on x in [${SINUSOID.x.join(', ')}])`,
  outputNote: "y [N, 1]: the adapted task network's prediction at x (what adapt writes)",
};

/** Query inputs: the CSV's, or 101 evenly spaced points over the training input range. */
function queryInputs(path: string | undefined): number[] {
  if (path) return readNumericCsv(path, ['x']).map((r) => r[0]);
  const [lo, hi] = SINUSOID.x;
  return Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
}

const trainFlags = () => [
  new Option('--conditioning <kind>', 'where the code z comes from (default encoder)').choices([
    'encoder',
    'noise',
    'embedding',
  ]),
  new Option('--generator <kind>', 'hypernetwork architecture (default mlp)').choices(['mlp', 'chunked']),
  new Option(
    '--inner-steps <n>',
    "gradient steps on the support set: after generation (sinusoid: default 0 with encoder, 5 otherwise; omniglot hypernet: on the head, default 0) or maml's (default 3)",
  ).argParser(intArg(0, 1000)),
  new Option('--inner-target <what>', 'what the inner steps update').choices(['params', 'code']),
  new Option('--inner-order <n>', '1: first-order, 2: differentiate through the steps')
    .choices(['1', '2'])
    .argParser(Number),
  new Option('--inner-lr <x>', 'inner-loop step size').argParser(numArg(0)),
  new Option('--learn-inner-lr', 'learn one step size per parameter (Meta-SGD)'),
];

/** Sinusoid regression on the command line: no data to load; adapt reads and writes x,y CSV. */
export const sinusoidCli: CliFamily<undefined> = {
  name: 'sinusoid',
  flags: {
    train: trainFlags,
    eval: () => [
      new Option('--tasks <n>', 'sinusoid: evaluation tasks (default 1000)').argParser(intArg(1, 10_000_000)),
    ],
    adapt: () => [
      new Option(
        '--inner-steps <n>',
        "gradient steps on the support set after generation, at the inner loop's step size (default 0)",
      ).argParser(intArg(0, 10_000)),
    ],
  },
  baseModelConfig: (_method, flags, fileModel) =>
    defaultModelConfig(
      'sinusoid',
      (flags.conditioning ?? fileModel.conditioning ?? 'encoder') as ConditioningKind,
    ),
  applyModelFlags(config, f) {
    const m = config as ModelConfig;
    if (f.generator) m.generator.kind = f.generator as 'mlp' | 'chunked';
    if (f.innerSteps !== undefined) m.inner.steps = f.innerSteps as number;
    if (f.innerTarget) m.inner.target = f.innerTarget as 'params' | 'code';
    if (f.innerOrder !== undefined) m.inner.order = f.innerOrder as 1 | 2;
    if (f.innerLr !== undefined) m.inner.lr = f.innerLr as number;
    if (f.learnInnerLr !== undefined) m.inner.learnLr = f.learnInnerLr as boolean;
  },
  loadData: async () => undefined,
  describe: (model) => {
    const c = (model as HypernetModel).config;
    return `${c.conditioning}/${c.generator.kind} hypernet on sinusoid`;
  },
  evalOptions: (_model, f, seed) => ({
    tasks: (f.tasks as number | undefined) ?? 1000,
    shots: (f.shots as number | undefined) ?? 5,
    queries: (f.queries as number | undefined) ?? 100,
    seed,
  }),
  formatEval(r, _f, { backend }) {
    const x = r.figures as {
      tasks: number;
      shots: number;
      adaptMsPerTask: number;
      adaptMsSingleTask: number;
    };
    return (
      `${x.tasks} tasks, ${x.shots}-shot: MSE ${r.value.toFixed(4)} ± ${r.ci95.toFixed(4)} (95% CI), ` +
      `adaptation ${x.adaptMsPerTask.toFixed(4)} ms/task batched, ${x.adaptMsSingleTask.toFixed(3)} ms for one task, backend ${backend}`
    );
  },
  async adapt(model, req) {
    const support = readNumericCsv(req.support, ['x', 'y']);
    const xq = queryInputs(req.query);
    if (support.length > 100_000 || xq.length > 1_000_000)
      throw new DataError('too many points (at most 100000 support and 1000000 query rows)');
    const K = support.length;
    const batch = {
      supportX: tf.tensor3d(
        support.map((r) => r[0]),
        [1, K, 1],
      ),
      supportY: tf.tensor3d(
        support.map((r) => r[1]),
        [1, K, 1],
      ),
      queryX: tf.tensor3d(xq, [1, xq.length, 1]),
    };
    for (const w of sinusoidWarnings(support, xq)) process.stderr.write(`hypermeta: warning: ${w}\n`);
    const m = model as HypernetModel;
    const steps = (req.flags.innerSteps as number | undefined) ?? 0;
    const theta = m.refine(batch, Rng.fromSeed(req.seed, 'adapt'), steps);
    const [pred, fit] = tf.tidy(() => [
      m.parts.taskNet.forward(theta, batch.queryX),
      tf.mean(perTaskMse(m.parts.taskNet.forward(theta, batch.supportX), batch.supportY)),
    ]);
    const ys = pred.dataSync();
    const supportMse = fit.dataSync()[0];
    const network = req.exportNetwork ? mlpNetwork(m.parts.taskNet, theta, SINUSOID_NOTES) : undefined;
    tf.dispose([pred, fit, ...theta, batch.supportX, batch.supportY, batch.queryX]);
    writeCsv(
      req.out,
      ['x', 'y'],
      xq.map((x, i) => [x, ys[i]]),
    );
    process.stderr.write(
      `support-set MSE ${supportMse.toPrecision(3)} over ${K} point(s)${steps ? ` after ${steps} gradient step(s)` : ''}\n`,
    );
    return network;
  },
  plotFigures: sinusoidPlotFigures,
  bench: sinusoidBench,
};
