import { join } from 'node:path';
import {
  checkMemory,
  familyOf,
  getFamily,
  InvalidArgumentError,
  loadCheckpoint,
  MetaTrainer,
  type SavedModel,
  type TaskFamily,
  tf,
  type TrainConfig,
  type TrainerState,
} from '@hypermeta/core';
import type { CliFamily, Flags } from '../families/cli-family.js';
import { cliFamily } from '../families/registry.js';
import { folderReader } from '../io/checkpoint-dir.js';
import { checkFreshRunDir, resumeDirs, setAsideRun } from '../io/run-folder.js';
import { buildRunConfig } from '../run-config.js';
import { memoryLimit } from '../backend-select.js';
import { WORKERS_APPLY } from '../parallel/worker-pool.js';
import type { TrainingJob } from './train-loop.js';

function job(
  runDir: string,
  family: TaskFamily,
  cli: CliFamily,
  model: SavedModel,
  data: unknown,
  train: TrainConfig,
  resume?: TrainerState,
): TrainingJob {
  const trainer = new MetaTrainer(family.learner(model, data, train), train, resume);
  const periodic = family.periodicEval();
  return {
    runDir,
    model,
    trainer,
    description: cli.describe(model, data),
    periodicEval: () => {
      const r = periodic.run(model, data, train.seed);
      return { [periodic.key]: r.value, evalCi95: r.ci95 };
    },
  };
}

/**
 * A new run: configs from defaults, --config and flags; the family's data loaded and checked; the
 * model built. Only then is an older run in --out (with --force) moved aside, so a refused command
 * leaves it as it was; it is deleted once the new run saves its first checkpoint (runTraining) and
 * put back if the new run fails before that (trainCommand).
 */
export async function newJob(
  f: Flags & { out: string; force?: boolean },
  backend: string,
): Promise<TrainingJob> {
  const family = getFamily(f.task);
  const cli = cliFamily(family.name);
  const runDir = checkFreshRunDir(f.out, f.force);
  const { model: config, train } = buildRunConfig(family, cli, f);
  if (
    (f.workers as number | undefined) !== undefined &&
    (f.workers as number) > 1 &&
    !family.splitsSteps?.(config)
  )
    throw new InvalidArgumentError(WORKERS_APPLY);
  // `runDir`: where data a training collects as it goes is saved (a family may keep some there).
  const data = await cli.loadData(config, { ...f, runDir });
  cli.fitToData?.(config, train, data);
  // The parameter ceiling first: its message names the model, the memory estimate only the sizes.
  family.validateModelConfig(config);
  const bytes = family.stepBytes?.(config, train);
  if (bytes !== undefined)
    checkMemory(
      bytes,
      memoryLimit(backend),
      'one training step',
      'lower --meta-batch, --shots, --queries, --ways or the model size',
    );
  const model = family.build(config, train.seed);
  return { ...job(runDir, family, cli, model, data, train), replaced: setAsideRun(runDir) };
}

/**
 * Continues a run: weights, optimizer moments, step and RNG states come from its newest checkpoint.
 * `lr` replaces the saved peak learning rate (a divergence rollback lowers it).
 */
export async function resumedJob(resume: string, f: Flags, lr?: number): Promise<TrainingJob> {
  const { runDir, checkpointDir } = resumeDirs(resume);
  const loaded = await loadCheckpoint(folderReader(checkpointDir));
  try {
    const family = familyOf(loaded.model.config);
    const cli = cliFamily(family.name);
    const saved = loaded.manifest.train;
    const steps = (f.steps as number | undefined) ?? saved.steps;
    const train = {
      ...saved,
      steps,
      ...(lr === undefined ? {} : { lr, lrFinal: Math.min(saved.lrFinal, lr) }),
    };
    const data = await cli.loadData(loaded.model.config, { ...f, runDir });
    const j = job(runDir, family, cli, loaded.model, data, train, loaded.manifest.state);
    j.trainer.adam.load(
      loaded.optimizer,
      loaded.manifest.state.adamCount,
      join(checkpointDir, 'optimizer.bin'),
    );
    return j;
  } catch (e) {
    loaded.model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(loaded.optimizer));
  }
}
