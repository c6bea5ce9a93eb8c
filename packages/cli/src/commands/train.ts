import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluateSinusoid, HypernetModel, InvalidArgumentError, loadCheckpoint, type MetaTrainer, serializeCheckpoint, sinusoidTrainer, tf } from '@hypermeta/core';
import { selectBackend } from '../backend-select.js';
import { folderReader, listCheckpoints, resolveCheckpointDir, saveCheckpointDir } from '../io/checkpoint-dir.js';
import { MetricsLog } from '../io/metrics-log.js';
import { createProgress } from '../progress.js';
import { asSinusoid } from './load-model.js';
import { buildRunConfig, type TrainFlags } from '../run-config.js';

export interface TrainOptions extends TrainFlags {
  backend: string;
  out: string;
  resume?: string;
  force?: boolean;
  checkpointEvery: number;
  keep: number;
  logEvery: number;
}

async function startOrResume(o: TrainOptions): Promise<{ runDir: string; model: HypernetModel; trainer: MetaTrainer }> {
  if (o.resume) {
    const dir = resolveCheckpointDir(o.resume);
    // --resume takes a run folder or one of its checkpoints/step-* folders.
    const runDir = resolve(dir, '..', '..');
    const loaded = await loadCheckpoint(folderReader(dir));
    const train = { ...loaded.manifest.train, steps: o.steps ?? loaded.manifest.train.steps };
    const model = asSinusoid(loaded.model, 'train --resume');
    const trainer = sinusoidTrainer(model, train, loaded.manifest.state);
    trainer.adam.load(loaded.optimizer, loaded.manifest.state.adamCount, join(dir, 'optimizer.bin'));
    tf.dispose(Object.values(loaded.optimizer));
    return { runDir, model, trainer };
  }
  const { model: mc, train } = buildRunConfig(o);
  const runDir = resolve(o.out);
  if (listCheckpoints(runDir).length > 0 || existsSync(join(runDir, 'metrics.jsonl'))) {
    if (!o.force) throw new InvalidArgumentError(`${o.out} already holds a run: pass --resume ${o.out} to continue it, --force to replace it, or another --out`);
    rmSync(join(runDir, 'checkpoints'), { recursive: true, force: true });
    rmSync(join(runDir, 'metrics.jsonl'), { force: true });
  }
  const model = new HypernetModel(mc, train.seed);
  return { runDir, model, trainer: sinusoidTrainer(model, train) };
}

export async function trainCommand(o: TrainOptions): Promise<void> {
  const backend = await selectBackend(o.backend);
  const { runDir, model, trainer } = await startOrResume(o);
  const total = trainer.config.steps;
  if (trainer.step >= total) throw new InvalidArgumentError(`the run is already at step ${trainer.step} of ${total}: pass a larger --steps to continue`);
  const log = new MetricsLog(join(runDir, 'metrics.jsonl'));
  const save = async () => {
    const files = await serializeCheckpoint(model, trainer);
    const evalR = evaluateSinusoid(model, { tasks: 100, shots: 5, seed: trainer.config.seed });
    log.write({ step: trainer.step, evalMse5Shot: evalR.mse, evalCi95: evalR.ci95 });
    return saveCheckpointDir(runDir, trainer.step, files, o.keep);
  };
  process.stderr.write(`training ${model.config.conditioning}/${model.config.generator.kind} hypernet on sinusoid, backend ${backend}, ${total} steps from step ${trainer.step}\n`);
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
  trainer.dispose();
  model.dispose();
}
