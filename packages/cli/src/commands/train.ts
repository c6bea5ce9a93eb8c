import { Command, Option } from 'commander';
import { backendOption } from '../backend-select.js';
import { intArg, numArg, shotRangeArg } from '../options.js';
import { join } from 'node:path';
import { loadCheckpoint, tf } from '@hypermeta/core';
import { selectBackend } from '../backend-select.js';
import { folderReader } from '../io/checkpoint-dir.js';
import { freshRunDir, resumeDirs } from '../io/run-folder.js';
import type { TrainFlags } from '../run-config.js';
import { asSinusoid } from './load-model.js';
import { runTraining, type LoopOptions, type TrainingJob } from './train-loop.js';
import { newSinusoidJob, resumedSinusoidJob } from './train-sinusoid.js';

export interface TrainOptions extends TrainFlags, LoopOptions {
  backend: string;
  out: string;
  resume?: string;
  force?: boolean;
}

/** Continues a run: weights, optimizer moments, step and RNG states come from its newest checkpoint. */
async function resumedJob(o: TrainOptions): Promise<TrainingJob> {
  const { runDir, checkpointDir } = resumeDirs(o.resume!);
  const loaded = await loadCheckpoint(folderReader(checkpointDir));
  const train = { ...loaded.manifest.train, steps: o.steps ?? loaded.manifest.train.steps };
  const job = resumedSinusoidJob(runDir, asSinusoid(loaded.model, 'train --resume'), train, loaded.manifest.state);
  job.trainer.adam.load(loaded.optimizer, loaded.manifest.state.adamCount, join(checkpointDir, 'optimizer.bin'));
  tf.dispose(Object.values(loaded.optimizer));
  return job;
}

export async function trainCommand(o: TrainOptions): Promise<void> {
  const backend = await selectBackend(o.backend);
  const job = o.resume ? await resumedJob(o) : newSinusoidJob(freshRunDir(o.out, o.force), o);
  try {
    await runTraining(job, o, backend);
  } finally {
    job.trainer.dispose();
    job.model.dispose();
  }
}

/** `hypermeta train`: its flags and help. */
export function trainSpec(): Command {
  return new Command('train')
    .description('meta-train a hypernetwork and write a checkpoint folder')
    .addOption(new Option('--task <task>', 'task family').choices(['sinusoid']).default('sinusoid'))
    .addOption(new Option('--method <method>', 'meta-learning method').choices(['hypernet']).default('hypernet'))
    .addOption(new Option('--conditioning <kind>', 'where the code z comes from (default encoder)').choices(['encoder', 'noise', 'embedding']))
    .addOption(new Option('--generator <kind>', 'hypernetwork architecture (default mlp)').choices(['mlp', 'chunked']))
    .option('--inner-steps <n>', 'gradient steps on the support set after generation (default 0 for encoder, 5 otherwise)', intArg(0, 1000))
    .addOption(new Option('--inner-target <what>', 'what the inner steps update').choices(['params', 'code']))
    .addOption(new Option('--inner-order <n>', '1: first-order, 2: differentiate through the steps').choices(['1', '2']).argParser(Number))
    .option('--inner-lr <x>', 'inner-loop step size', numArg(0))
    .option('--learn-inner-lr', 'learn one step size per parameter (Meta-SGD)')
    .addOption(backendOption())
    .option('--steps <n>', 'meta-training steps (default 12000)', intArg(1, 100_000_000))
    .option('--meta-batch <t>', 'tasks per meta-step (default 32)', intArg(1, 65_536))
    .option('--shots <k>', 'support points per task: K or a range MIN-MAX drawn per step (default 3-12)', shotRangeArg)
    .option('--queries <q>', 'query points per training task (default 20)', intArg(1, 100_000))
    .option('--lr <x>', 'peak Adam learning rate (default 0.003, cosine decay)', numArg(0, 10))
    .option('--seed <s>', 'random seed (default 1)', intArg(-2147483648))
    .option('--out <dir>', 'run folder', 'runs/latest')
    .option('--config <file>', 'JSON file with "model" and "train" sections (flags override it)')
    .option('--resume <dir>', 'continue the run in this folder from its newest checkpoint')
    .option('--force', 'replace an existing run in --out')
    .option('--checkpoint-every <n>', 'save a checkpoint every n steps', intArg(1), 1000)
    .option('--keep <k>', 'checkpoints to keep', intArg(1, 1000), 3)
    .option('--log-every <n>', 'steps between metrics.jsonl lines', intArg(1), 50)
    .action((o) => trainCommand(o));
}
