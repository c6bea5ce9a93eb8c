import { join } from 'node:path';
import { InvalidArgumentError, type MetaTrainer, type SavedModel, serializeCheckpoint } from '@hypermeta/core';
import { saveCheckpointDir } from '../io/checkpoint-dir.js';
import { MetricsLog } from '../io/metrics-log.js';
import { createProgress } from '../progress.js';

/** A run ready to train: any task family, any method. */
export interface TrainingJob {
  runDir: string;
  model: SavedModel;
  trainer: MetaTrainer;
  /** One line for the start of the log, e.g. "encoder/mlp hypernet on sinusoid". */
  description: string;
  /** A quick held-out metric written to metrics.jsonl at each checkpoint. */
  periodicEval(): Record<string, number>;
}

export interface LoopOptions {
  checkpointEvery: number;
  keep: number;
  logEvery: number;
}

/** Trains to the configured step count, logging metrics and saving checkpoints; returns the last one saved. */
export async function runTraining(job: TrainingJob, o: LoopOptions, backend: string): Promise<string> {
  const { model, trainer, runDir } = job;
  const total = trainer.config.steps;
  if (trainer.step >= total) throw new InvalidArgumentError(`the run is already at step ${trainer.step} of ${total}: pass a larger --steps to continue`);
  const log = new MetricsLog(join(runDir, 'metrics.jsonl'));
  const save = async () => {
    const files = await serializeCheckpoint(model, trainer);
    log.write({ step: trainer.step, ...job.periodicEval() });
    return saveCheckpointDir(runDir, trainer.step, files, o.keep);
  };
  process.stderr.write(`training ${job.description}, backend ${backend}, ${total} steps from step ${trainer.step}\n`);
  const progress = createProgress(total, trainer.step);
  const t0 = performance.now();
  let sum = 0;
  let n = 0;
  let saved = '';
  try {
    while (trainer.step < total) {
      const r = trainer.runStep();
      sum += r.loss;
      n++;
      if (r.step % o.logEvery === 0 || r.step === total) {
        log.write({ step: r.step, loss: sum / n, lr: r.lr, gradNorm: r.gradNorm, seconds: (performance.now() - t0) / 1000 });
        progress.update(r.step, sum / n);
        sum = 0;
        n = 0;
      }
      if (r.step % o.checkpointEvery === 0 && r.step !== total) saved = await save();
    }
    saved = await save();
  } finally {
    progress.stop();
  }
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(`saved ${saved} (step ${trainer.step}, ${secs.toFixed(1)} s on ${backend})\n`);
  return saved;
}
