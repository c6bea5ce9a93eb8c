import {
  disposeBatch,
  type HypernetModel,
  median,
  Rng,
  sampleSinusoidTask,
  singleTaskLatency,
  sinusoidBatch,
  type TaskBatch,
  taskStreams,
  tf,
} from '@hypermeta/core';
import { drawSinusoidTasks } from '@hypermeta/core';
import { adamToTarget, queryMse, sgdSteps, trainFomamlInit, trainFromScratch } from './fine-tune.js';
import { timeMs } from '../../../bench/timing.js';

export interface AdaptationOptions {
  tasks: number;
  shots: number;
  queries: number;
  fineTuneSteps: number;
  fomamlSeconds: number;
  scratchTasks: number;
  scratchCap: number;
  batchTasks: number;
  seed: number;
}

export interface MethodResult {
  /** Median wall ms per task: adapt on the support set, predict the queries, read them back. */
  msPerTask: number;
  mse: number;
  steps?: number;
}

export interface AdaptationResult {
  shots: number;
  tasks: number;
  hypernet: MethodResult;
  fineTune: MethodResult & { init: string };
  /** Fine-tuning from the same init, with Adam, until it reaches the hypernet's MSE (or the cap). */
  fineTuneToTarget: MethodResult & { tasks: number; reachedTarget: number };
  scratch: MethodResult & { tasks: number; reachedTarget: number };
  /** evaluateSinusoid's singleTaskLatency: one task, 10 query points, median of 51 after 500 warm-ups (the steady state). */
  singleTaskMs: number;
  /** µs per task when `batchTasks` tasks are adapted in one batch (θ read back). */
  batchUsPerTask: number;
  batchTasks: number;
  fineTuneOverHypernet: number;
  fineTuneToTargetOverHypernet: number;
  scratchOverHypernet: number;
}

/** Section a: the same fresh tasks adapted three ways, one task at a time. */
export function adaptationBench(model: HypernetModel, o: AdaptationOptions): AdaptationResult {
  const rng = taskStreams(o.seed).eval;
  const tasks = Array.from({ length: o.tasks }, () => sampleSinusoidTask(rng));
  const batches = tasks.map((t) => sinusoidBatch([t], o.shots, o.queries, rng));
  const noise = Rng.fromSeed(o.seed, 'bench-noise');
  try {
    // Hypernetwork: one forward pass; V8 needs a few hundred adaptations before timings settle (as singleTaskLatency).
    for (let i = 0; i < 500; i++) tf.dispose(model.predict(batches[i % batches.length], noise));
    const hn = batches.map((b) => {
      let mse = 0;
      const ms = timeMs(() => {
        const p = model.predict(b, noise);
        p.dataSync();
        p.dispose();
      });
      tf.tidy(() => {
        const theta = model.adapt(b, noise);
        mse = queryMse(theta, b);
      });
      return { ms, mse };
    });
    const hypernet = summarise(hn.slice(1));
    // Fine-tuning from a meta-learned init: k SGD steps, then predict.
    const init = trainFomamlInit({ seconds: o.fomamlSeconds, innerSteps: 5, seed: o.seed });
    const ft = batches.map((b) => {
      let theta: tf.Tensor[] = [];
      const ms = timeMs(() => {
        theta = sgdSteps(init, b, o.fineTuneSteps);
        const p = tf.tidy(() => model.parts.taskNet.forward(theta, b.queryX));
        p.dataSync();
        p.dispose();
      });
      const mse = queryMse(theta, b);
      tf.dispose(theta);
      return { ms, mse };
    });
    // The same init fine-tuned until it is as good as the hypernetwork (the equal-MSE comparison).
    const toTarget = batches.slice(0, o.scratchTasks);
    const fineTuneToTarget = untilTarget(toTarget, hypernet.mse, (b) =>
      adamToTarget(init, b, { target: hypernet.mse, cap: o.scratchCap, every: 5 }),
    );
    tf.dispose(init);
    // From scratch, until the hypernetwork's mean MSE or the step cap.
    const scratch = untilTarget(toTarget, hypernet.mse, (b, i) =>
      trainFromScratch(b, {
        target: hypernet.mse,
        cap: o.scratchCap,
        every: 25,
        rng: Rng.fromSeed(o.seed + i, 'bench-scratch'),
      }),
    );
    const fineTune = {
      ...summarise(ft.slice(1)),
      steps: o.fineTuneSteps,
      init: `first-order MAML, ${o.fomamlSeconds} s of meta-training (T=32, 5 inner SGD steps, lr ${0.01})`,
    };
    return {
      shots: o.shots,
      tasks: o.tasks,
      hypernet,
      fineTune,
      fineTuneToTarget,
      scratch,
      singleTaskMs: singleTaskLatency(model, drawSinusoidTasks, o.shots, o.seed),
      ...batchAdaptation(model, o),
      fineTuneOverHypernet: fineTune.msPerTask / hypernet.msPerTask,
      fineTuneToTargetOverHypernet: fineTuneToTarget.msPerTask / hypernet.msPerTask,
      scratchOverHypernet: scratch.msPerTask / hypernet.msPerTask,
    };
  } finally {
    batches.forEach(disposeBatch);
  }
}

/** Times `train` on each batch (θ's query MSE read inside the timing) and summarises steps and how many reached `target`. */
function untilTarget(
  batches: TaskBatch[],
  target: number,
  train: (b: TaskBatch, i: number) => { theta: tf.Tensor[]; steps: number },
): MethodResult & { tasks: number; reachedTarget: number } {
  const rows = batches.map((b, i) => {
    let steps = 0;
    let mse = 0;
    const ms = timeMs(() => {
      const r = train(b, i);
      steps = r.steps;
      mse = queryMse(r.theta, b);
      tf.dispose(r.theta);
    });
    return { ms, mse, steps };
  });
  return {
    ...summarise(rows),
    steps: median(rows.map((r) => r.steps)),
    tasks: rows.length,
    reachedTarget: rows.filter((r) => r.mse <= target).length,
  };
}

function summarise(rows: { ms: number; mse: number }[]): MethodResult {
  return { msPerTask: median(rows.map((r) => r.ms)), mse: rows.reduce((a, r) => a + r.mse, 0) / rows.length };
}

/** Median of 7 (after 1 warm-up) of adapting `batchTasks` tasks in one pass, µs per task (3 runs read ±20 %: GC). */
function batchAdaptation(
  model: HypernetModel,
  o: AdaptationOptions,
): { batchUsPerTask: number; batchTasks: number } {
  const rng = Rng.fromSeed(o.seed, 'bench-batch');
  const noise = Rng.fromSeed(o.seed, 'bench-batch-noise');
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    const b = sinusoidBatch(
      Array.from({ length: o.batchTasks }, () => sampleSinusoidTask(rng)),
      o.shots,
      1,
      rng,
    );
    const ms = timeMs(() => {
      const theta = model.adapt(b, noise);
      theta.forEach((t) => t.dataSync());
      tf.dispose(theta);
    });
    if (i > 0) times.push(ms);
    disposeBatch(b);
  }
  return { batchUsPerTask: (median(times) * 1000) / o.batchTasks, batchTasks: o.batchTasks };
}
