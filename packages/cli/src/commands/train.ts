import { Command, Option } from 'commander';
import { allFamilies, familyNames, InvalidArgumentError } from '@hypermeta/core';
import { backendOption, selectBackend } from '../backend-select.js';
import { familyOptions, refuseForeignFlags } from '../families/registry.js';
import { intArg, maxInputOption, numArg, shotRangeArg } from '../options.js';
import { LOOP_DEFAULTS, readLoopSettings, resolveLoopSettings } from '../io/loop-settings.js';
import { trainWithGuard, type LoopOptions, type TrainingJob } from './train-loop.js';
import { partRunnerFor, startThreads } from '../parallel/worker-pool.js';
import { newJob, resumedJob } from './train-job.js';
import { lockRun } from '../io/run-lock.js';
import { resumeRunDir } from '../io/run-folder.js';
import { resolve } from 'node:path';
import { flagGiven, flagLabel } from './flags.js';

export interface TrainOptions extends Partial<LoopOptions> {
  task: string;
  backend: string;
  workers?: number;
  out: string;
  resume?: string;
  force?: boolean;
  [flag: string]: unknown;
}

/** Flags a --resume cannot honour: the run fixes them (the model and its data are in the checkpoint). */
const FIXED_ON_RESUME = ['task', 'method', 'config', 'metaBatch', 'shots', 'queries', 'lr', 'seed', 'force'];

export async function trainCommand(o: TrainOptions, cmd?: Command): Promise<void> {
  const given = (k: string) => (cmd ? flagGiven(cmd, k) : o[k] !== undefined);
  if (o.resume) {
    const fixed =
      FIXED_ON_RESUME.find(given) ??
      familyOptions('train')
        .options.map((x) => x.attributeName())
        .find((k) => given(k) && k !== 'dataDir' && k !== 'cacheDir');
    if (fixed)
      throw new InvalidArgumentError(
        `${cmd ? flagLabel(cmd, fixed) : fixed} cannot change when resuming: the run fixes it (start a new run with --out to change it)`,
      );
  } else {
    refuseForeignFlags('train', o.task, given, (k) => (cmd ? flagLabel(cmd, k) : k));
  }
  const backend = await selectBackend(o.backend);
  // One writer per run folder: a second training into the same folder is refused, not interleaved.
  // The lock comes first: which checkpoint a --resume continues is read under it (resumedJob).
  const release = lockRun(o.resume ? resumeRunDir(o.resume) : resolve(o.out));
  try {
    const job = o.resume ? await resumedJob(o.resume, o) : await newJob(o, backend);
    try {
      await train(job, o, backend);
    } catch (e) {
      job.replaced?.restore();
      throw e;
    }
  } finally {
    release();
  }
}

async function train(job: TrainingJob, o: TrainOptions, backend: string): Promise<void> {
  const pool = await startThreads(job.trainer, o.workers, backend, job.model.config).catch((e: unknown) => {
    job.trainer.dispose();
    job.model.dispose();
    throw e;
  });
  const withThreads = (j: TrainingJob): TrainingJob => ({
    ...j,
    partRunner: partRunnerFor(j.trainer.learner, pool),
    threads: pool?.threads ?? 1,
  });
  try {
    // Loop flags not given now come from the run itself when resuming, else from the defaults.
    const loop = resolveLoopSettings(o, o.resume ? readLoopSettings(job.runDir) : {});
    await trainWithGuard(withThreads(job), { ...loop, stopAt: o.stopAt }, backend, async (lr) =>
      withThreads(await resumedJob(job.runDir, o, lr)),
    );
  } finally {
    await pool?.close();
  }
}

/** `hypermeta train`: the common flags, then each family's own under its heading. */
export function trainSpec(): Command {
  const families = familyNames();
  // Listed from the registry, so a family that registers more methods shows them here.
  const methods = allFamilies()
    .map((f) => `${f.name}: ${f.methods.join(', ')}`)
    .join('; ');
  const cmd = new Command('train')
    .description('meta-train a model on a task family and write a checkpoint folder')
    .addOption(new Option('-t, --task <task>', 'task family').choices(families).default(families[0]))
    .option('-m, --method <method>', `meta-learning method (default: the family's first; ${methods})`)
    .addOption(backendOption())
    .addOption(maxInputOption())
    .option('-n, --steps <n>', "meta-training steps (default: the family's)", intArg(1, 100_000_000))
    .option('--meta-batch <t>', 'tasks (episodes) per meta-step', intArg(1, 65_536))
    .option(
      '--workers <n>',
      "threads computing each step's episodes, where steps split into episodes (default: one per core, at most --meta-batch; one on the node backend, whose native addon is not thread-safe); the numbers do not depend on it",
      intArg(1, 256),
    )
    .option(
      '-k, --shots <k>',
      'support examples per task (per class for classification): K or a range MIN-MAX drawn per step',
      shotRangeArg,
    )
    .option('-q, --queries <q>', 'query examples per task (per class for classification)', intArg(1, 100_000))
    .option('--lr <x>', 'peak Adam learning rate (cosine decay)', numArg(0, 10))
    .option('-s, --seed <s>', 'random seed (default 1)', intArg(-2147483648))
    .option('-o, --out <dir>', 'run folder', 'runs/latest')
    .option('--config <file>', 'JSON file with "model" and "train" sections (flags override it)')
    .option('--resume <dir>', 'continue the run in this folder from its newest checkpoint')
    .option('--force', 'replace an existing run in --out (only once the new one is ready to start)')
    .option(
      '--checkpoint-every <n>',
      `save a checkpoint every n steps (default ${LOOP_DEFAULTS.checkpointEvery}; a --resume keeps the run's)`,
      intArg(1),
    )
    .option(
      '--keep <k>',
      `checkpoints to keep (default ${LOOP_DEFAULTS.keep}; a --resume keeps the run's)`,
      intArg(1, 1000),
    )
    .option(
      '--log-every <n>',
      `steps between metrics.jsonl lines (default ${LOOP_DEFAULTS.logEvery}; a --resume keeps the run's)`,
      intArg(1),
    )
    .option(
      '--stop-at <step>',
      'stop with a checkpoint after this step; the lr schedule still spans --steps, so --resume continues exactly',
      intArg(1, 100_000_000),
    )
    .addOption(
      new Option(
        '--on-divergence <what>',
        "on a NaN/infinite loss or gradient: stop (default), or reload the last checkpoint at half the peak lr; a --resume keeps the run's",
      ).choices(['stop', 'rollback']),
    )
    .option(
      '--divergence-retries <n>',
      `rollbacks allowed before giving up (default ${LOOP_DEFAULTS.divergenceRetries}; a --resume keeps the run's)`,
      intArg(1, 100),
    );
  for (const opt of familyOptions('train').options) cmd.addOption(opt);
  return cmd.action((o, c: Command) => trainCommand(o, c));
}
