import { Command, Option } from 'commander';
import { backendOption } from '../backend-select.js';
import { intArg, numArg, shotRangeArg } from '../options.js';
import { join } from 'node:path';
import { FewShotModel, InvalidArgumentError, loadCheckpoint, tf, validateModelConfig } from '@hypermeta/core';
import { selectBackend } from '../backend-select.js';
import { folderReader } from '../io/checkpoint-dir.js';
import { freshRunDir, resumeDirs } from '../io/run-folder.js';
import { buildRunConfig, type TrainFlags } from '../run-config.js';
import { LOOP_DEFAULTS, readLoopSettings, resolveLoopSettings } from '../io/loop-settings.js';
import { asSinusoid } from './load-model.js';
import { trainWithGuard, type LoopOptions, type TrainingJob } from './train-loop.js';
import { partRunnerFor, startThreads, WORKERS_APPLY } from '../parallel/worker-pool.js';
import { newSinusoidJob, resumedSinusoidJob } from './train-sinusoid.js';
import { newOmniglotJob, type OmniglotFlags, resumedOmniglotJob } from './train-omniglot.js';

export interface TrainOptions extends TrainFlags, Partial<LoopOptions>, Omit<OmniglotFlags, 'method' | 'shots'> {
  backend: string;
  workers?: number;
  out: string;
  resume?: string;
  force?: boolean;
}

/**
 * Continues a run: weights, optimizer moments, step and RNG states come from its newest checkpoint.
 * `lr` replaces the saved peak learning rate (a divergence rollback lowers it).
 */
async function resumedJob(o: TrainOptions, lr?: number): Promise<TrainingJob> {
  const { runDir, checkpointDir } = resumeDirs(o.resume!);
  const loaded = await loadCheckpoint(folderReader(checkpointDir));
  const saved = loaded.manifest.train;
  const train = { ...saved, steps: o.steps ?? saved.steps, ...(lr === undefined ? {} : { lr, lrFinal: Math.min(saved.lrFinal, lr) }) };
  const job = loaded.model instanceof FewShotModel
    ? await resumedOmniglotJob(runDir, loaded.model, train, loaded.manifest.state, o.dataDir, o.cacheDir)
    : resumedSinusoidJob(runDir, asSinusoid(loaded.model, 'train --resume'), train, loaded.manifest.state);
  job.trainer.adam.load(loaded.optimizer, loaded.manifest.state.adamCount, join(checkpointDir, 'optimizer.bin'));
  tf.dispose(Object.values(loaded.optimizer));
  return job;
}

export async function trainCommand(o: TrainOptions): Promise<void> {
  // An oversized --config model is refused by core's validation before any tensor exists.
  if (!o.resume && o.task === 'sinusoid') validateModelConfig(buildRunConfig(o).model);
  if (!o.resume && (o.workers ?? 1) > 1 && (o.task !== 'omniglot' || o.method === 'finetune')) throw new InvalidArgumentError(WORKERS_APPLY);
  const backend = await selectBackend(o.backend);
  const fresh = () => (o.task === 'omniglot' ? newOmniglotJob(freshRunDir(o.out, o.force), o) : newSinusoidJob(freshRunDir(o.out, o.force), o));
  const job = o.resume ? await resumedJob(o) : await fresh();
  const pool = await startThreads(job.trainer, o.workers, backend, () => (job.model as FewShotModel).config).catch((e: unknown) => {
    job.trainer.dispose();
    job.model.dispose();
    throw e;
  });
  const withThreads = (j: TrainingJob): TrainingJob => ({ ...j, partRunner: partRunnerFor(j.trainer.learner, pool), threads: pool?.threads ?? 1 });
  try {
    // Loop flags not given now come from the run itself when resuming, else from the defaults.
    const loop = resolveLoopSettings(o, o.resume ? readLoopSettings(job.runDir) : {});
    await trainWithGuard(withThreads(job), { ...loop, stopAt: o.stopAt }, backend, async (lr) => withThreads(await resumedJob({ ...o, resume: job.runDir }, lr)));
  } finally {
    await pool?.close();
  }
}

/** `hypermeta train`: its flags and help. */
export function trainSpec(): Command {
  return new Command('train')
    .description('meta-train a hypernetwork and write a checkpoint folder')
    .addOption(new Option('--task <task>', 'task family').choices(['sinusoid', 'omniglot']).default('sinusoid'))
    .addOption(new Option('--method <method>', 'meta-learning method (omniglot also has the baselines)').choices(['hypernet', 'protonet', 'maml', 'finetune']).default('hypernet'))
    .option('--data-dir <dir>', 'omniglot: folder with the Omniglot zips or extracted folders')
    .option('--cache-dir <dir>', 'omniglot: where decoded images are cached (default ~/.cache/hypermeta)')
    .option('--ways <n>', 'omniglot: classes per training episode (default 40; maml 20)', intArg(2, 10_000))
    .option('--rotations', 'omniglot: rotations by 90°, 180°, 270° count as new classes (default on)')
    .option('--no-rotations', 'omniglot: train without the rotation augmentation')
    .option('--reflections', 'omniglot: mirror images of characters count as new classes too (default on)')
    .option('--no-reflections', 'omniglot: no mirror-image classes')
    .option('--within-alphabet', 'omniglot: draw each episode\'s classes from one alphabet (default: across all)')
    .option('--augment', 'omniglot: distort training images with small random affine maps (default on)')
    .option('--no-augment', 'omniglot: train on the images as they are')
    .option('--modulation', 'omniglot hypernet: also generate a per-channel scale and shift of every backbone layer from the support set (FiLM; default off)')
    .option('--no-modulation', 'omniglot hypernet: generate the classifier only (the default)')
    .option('--proto-loss <w>', 'omniglot hypernet: weight of an auxiliary prototype-classifier loss on the same embeddings (default 3; 0 turns it off)', numArg(0, 100, false))
    .option('--filters <n>', 'omniglot: conv4 width (default 64)', intArg(1, 1024))
    .option('--held-out <n>', 'omniglot: alphabets held out for evaluation, the last by name (default 2)', intArg(1, 1000))
    .addOption(new Option('--conditioning <kind>', 'where the code z comes from (default encoder)').choices(['encoder', 'noise', 'embedding']))
    .addOption(new Option('--generator <kind>', 'hypernetwork architecture (default mlp)').choices(['mlp', 'chunked']))
    .option('--inner-steps <n>', 'gradient steps on the support set after generation (default 0 for encoder, 5 otherwise)', intArg(0, 1000))
    .addOption(new Option('--inner-target <what>', 'what the inner steps update').choices(['params', 'code']))
    .addOption(new Option('--inner-order <n>', '1: first-order, 2: differentiate through the steps').choices(['1', '2']).argParser(Number))
    .option('--inner-lr <x>', 'inner-loop step size', numArg(0))
    .option('--learn-inner-lr', 'learn one step size per parameter (Meta-SGD)')
    .addOption(backendOption())
    .option('--steps <n>', 'meta-training steps (default 12000 sinusoid; omniglot hypernet and protonet 5000, maml 1750, finetune 2500)', intArg(1, 100_000_000))
    .option('--meta-batch <t>', 'tasks per meta-step (default 32 sinusoid; omniglot 2 episodes, finetune 8 × 16 images)', intArg(1, 65_536))
    .option('--workers <n>', 'omniglot: threads computing each step\'s episodes (default: one per core, at most --meta-batch); the numbers do not depend on it', intArg(1, 256))
    .option('--shots <k>', 'support examples per task (per class on omniglot): K or a range MIN-MAX drawn per step (default 3-12 sinusoid, 1 omniglot)', shotRangeArg)
    .option('--queries <q>', 'query points per training task (default 20), or query images per class (omniglot, default 1; maml 5)', intArg(1, 100_000))
    .option('--lr <x>', 'peak Adam learning rate (default 0.003, cosine decay)', numArg(0, 10))
    .option('--seed <s>', 'random seed (default 1)', intArg(-2147483648))
    .option('--out <dir>', 'run folder', 'runs/latest')
    .option('--config <file>', 'JSON file with "model" and "train" sections (flags override it)')
    .option('--resume <dir>', 'continue the run in this folder from its newest checkpoint')
    .option('--force', 'replace an existing run in --out')
    .option('--checkpoint-every <n>', `save a checkpoint every n steps (default ${LOOP_DEFAULTS.checkpointEvery}; a --resume keeps the run's)`, intArg(1))
    .option('--keep <k>', `checkpoints to keep (default ${LOOP_DEFAULTS.keep}; a --resume keeps the run's)`, intArg(1, 1000))
    .option('--log-every <n>', `steps between metrics.jsonl lines (default ${LOOP_DEFAULTS.logEvery}; a --resume keeps the run's)`, intArg(1))
    .option('--stop-at <step>', 'stop with a checkpoint after this step; the lr schedule still spans --steps, so --resume continues exactly', intArg(1, 100_000_000))
    .addOption(new Option('--on-divergence <what>', "on a NaN/infinite loss or gradient: stop (default), or reload the last checkpoint at half the peak lr; a --resume keeps the run's").choices(['stop', 'rollback']))
    .option('--divergence-retries <n>', `rollbacks allowed before giving up (default ${LOOP_DEFAULTS.divergenceRetries}; a --resume keeps the run's)`, intArg(1, 100))
    .action((o) => trainCommand(o));
}
