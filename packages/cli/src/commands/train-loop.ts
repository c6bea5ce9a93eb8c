import { join } from 'node:path';
import {
  DataError,
  DivergenceError,
  InvalidArgumentError,
  type MetaTrainer,
  type PartRunner,
  type SavedModel,
  serializeCheckpoint,
} from '@hypermeta/core';
import { listCheckpoints, saveCheckpointDir, stepDirName } from '../io/checkpoint-dir.js';
import { MetricsLog } from '../io/metrics-log.js';
import { type LoopOptions, resolveLoopSettings, writeLoopSettings } from '../io/loop-settings.js';
import { createProgress } from '../progress.js';
import { fsProblem, isFsError } from '../io/fs-problem.js';
import { Interrupted, stopOnSignals } from '../interrupted.js';
import type { ReplacedRun } from '../io/run-folder.js';

export type { LoopOptions };

/** A run ready to train: any task family, any method. */
export interface TrainingJob {
  runDir: string;
  model: SavedModel;
  trainer: MetaTrainer;
  /** One line for the start of the log, e.g. "encoder/mlp hypernet on sinusoid". */
  description: string;
  /** A quick held-out metric written to metrics.jsonl at each checkpoint. */
  periodicEval(): Record<string, number>;
  /** Where the step's episodes are computed, for learners whose steps split (see parallel/worker-pool). */
  partRunner?: PartRunner;
  /** Threads computing each step (for the log line). */
  threads?: number;
  /** An older run this one replaces (--force): discarded at the first checkpoint. */
  replaced?: ReplacedRun;
}

/** Trains to the configured step count (or --stop-at), logging metrics and saving checkpoints; returns the last one saved. */
export async function runTraining(job: TrainingJob, o: LoopOptions, backend: string): Promise<string> {
  const { model, trainer, runDir } = job;
  const total = trainer.config.steps;
  const end = Math.min(total, o.stopAt ?? total);
  if (trainer.step >= total)
    throw new InvalidArgumentError(
      `the run is already at step ${trainer.step} of ${total}: pass a larger --steps to continue`,
    );
  if (trainer.step >= end)
    throw new InvalidArgumentError(`the run is already at step ${trainer.step}: --stop-at must be later`);
  // Only now that the run will go ahead: a refused command leaves the folder as it was.
  writeLoopSettings(runDir, resolveLoopSettings(o));
  const log = new MetricsLog(join(runDir, 'metrics.jsonl'));
  log.dropAfter(trainer.step);
  let saved = listCheckpoints(runDir).at(-1) ?? '';
  const save = async () => {
    const files = await serializeCheckpoint(model, trainer);
    try {
      log.write({ step: trainer.step, ...job.periodicEval() });
      saved = saveCheckpointDir(runDir, trainer.step, files, o.keep);
    } catch (e) {
      if (!isFsError(e)) throw e;
      // A checkpoint is written to a work folder and renamed into place: a failed save leaves the earlier ones intact.
      const last = saved ? `the last good checkpoint is ${saved}` : 'no checkpoint was saved yet';
      throw new DataError(
        `${runDir}: cannot save the checkpoint of step ${trainer.step}: ${fsProblem(e)}; ${last}`,
      );
    }
    job.replaced?.discard();
  };
  // A rollback needs a good state to go back to, even before the first periodic checkpoint.
  if (o.onDivergence === 'rollback' && !saved) await save();
  const threads = (job.threads ?? 1) > 1 ? ` on ${job.threads} threads` : '';
  process.stderr.write(
    `training ${job.description}, backend ${backend}${threads}, ${total} steps from step ${trainer.step}${end < total ? `, stopping at ${end}` : ''}\n`,
  );
  const progress = createProgress(end, trainer.step);
  const signals = stopOnSignals(() => progress.stop());
  const t0 = performance.now();
  let sum = 0;
  let n = 0;
  try {
    while (trainer.step < end) {
      // A turn of the event loop between steps, so a signal handler can ask for a stop.
      await new Promise((resolve) => setImmediate(resolve));
      if (signals.requested) {
        if (!saved.endsWith(stepDirName(trainer.step))) await save();
        throw new Interrupted(signals.requested, saved);
      }
      const r = job.partRunner ? await trainer.runSplitStep(job.partRunner) : trainer.runStep();
      sum += r.loss;
      n++;
      if (r.step % o.logEvery === 0 || r.step === end) {
        log.write({
          step: r.step,
          loss: sum / n,
          lr: r.lr,
          gradNorm: r.gradNorm,
          seconds: (performance.now() - t0) / 1000,
        });
        progress.update(r.step, sum / n);
        sum = 0;
        n = 0;
      }
      if (r.step % o.checkpointEvery === 0 || r.step === end) await save();
    }
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    // Nothing of the diverged step reached the weights or the disk; say what is still good.
    const last = saved ? `the last good checkpoint is ${saved}` : 'no checkpoint was saved yet';
    throw new DivergenceError(
      `${e.message}; nothing was saved from it, ${last} (try a lower --lr, or --on-divergence rollback)`,
      e.step,
      e.quantity,
    );
  } finally {
    signals.dispose();
    progress.stop();
  }
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(`saved ${saved} (step ${trainer.step}, ${secs.toFixed(1)} s on ${backend})\n`);
  return saved;
}

/** Reloads the run's newest checkpoint with a new peak learning rate. */
export type ReloadJob = (lr: number) => Promise<TrainingJob>;

function disposeJob(job: TrainingJob): void {
  job.trainer.dispose();
  job.model.dispose();
}

/**
 * runTraining with the divergence policy: on 'rollback', a diverged run goes back to its newest
 * checkpoint with half the peak lr (saved with the next checkpoint, so a later --resume keeps it),
 * at most `divergenceRetries` times. Disposes every job it used.
 */
export async function trainWithGuard(
  first: TrainingJob,
  o: LoopOptions,
  backend: string,
  reload: ReloadJob,
): Promise<void> {
  let job: TrainingJob | undefined = first;
  const retries = o.divergenceRetries ?? 3;
  try {
    for (let rollbacks = 0; ; rollbacks++) {
      try {
        await runTraining(job, o, backend);
        return;
      } catch (e) {
        if (!(e instanceof DivergenceError) || o.onDivergence !== 'rollback') throw e;
        if (rollbacks >= retries)
          throw new DivergenceError(
            `${e.message.split(';')[0]}, and ${retries} rollbacks did not help; the run's checkpoints are intact`,
            e.step,
            e.quantity,
          );
        const lr = job.trainer.config.lr / 2;
        disposeJob(job);
        job = undefined;
        job = await reload(lr);
        const step = job.trainer.step;
        new MetricsLog(join(job.runDir, 'metrics.jsonl')).write({
          step,
          rollback: rollbacks + 1,
          divergedAt: e.step,
          quantity: e.quantity,
          lr,
        });
        process.stderr.write(
          `the ${e.quantity} diverged at step ${e.step}: rolled back to step ${step} with peak lr ${lr} (rollback ${rollbacks + 1} of ${retries})\n`,
        );
      }
    }
  } finally {
    if (job) disposeJob(job);
  }
}
