import {
  gradientSteps,
  Adam,
  disposeBatch,
  MlpTaskNetwork,
  perTaskMse,
  Rng,
  sampleSinusoidTask,
  sinusoidBatch,
  type TaskBatch,
  tf,
} from '@hypermeta/core';

/** The gradient-based baselines' task network: MAML's sinusoid net, the one the hypernetwork generates. */
export const taskNet = new MlpTaskNetwork({ sizes: [1, 40, 40, 1] });
/** MAML's test-time step size (SGD). */
export const INNER_LR = 0.01;

/** θ [1, ...shape] → θ [T, ...shape]. */
function tileTo(theta: readonly tf.Tensor[], T: number): tf.Tensor[] {
  return theta.map((p) => tf.tile(p, [T, ...p.shape.slice(1).map(() => 1)]));
}

function supportLoss(batch: TaskBatch) {
  return (...theta: tf.Tensor[]) =>
    tf.sum(perTaskMse(taskNet.forward(theta, batch.supportX), batch.supportY)) as tf.Scalar;
}

/** k SGD steps on each task's support set, batched over tasks; returns the adapted θ. */
export function sgdSteps(
  start: readonly tf.Tensor[],
  batch: TaskBatch,
  k: number,
  lr = INNER_LR,
): tf.Tensor[] {
  return tf.tidy(() => gradientSteps(start, (theta) => supportLoss(batch)(...theta), { steps: k, lr }));
}

/**
 * A first-order MAML initialisation (Finn et al. 2017, FOMAML variant): k inner SGD steps per
 * task, the query-loss gradient at the adapted θ applied to the shared init with Adam. Trained
 * for `seconds` of wall time on fresh sinusoid tasks, T = 32, 10 support and 10 query points.
 */
export function trainFomamlInit(o: {
  seconds: number;
  innerSteps: number;
  seed: number;
  lr?: number;
}): tf.Variable[] {
  const rng = Rng.fromSeed(o.seed, 'bench-fomaml');
  // MAML's own init (weights N(0, 0.01²), zero biases): He-scale weights make the first inner
  // SGD steps at lr 0.01 diverge on amplitude-5 sinusoids.
  const vars = taskNet.paramShapes.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = s.shape.length > 1 ? rng.fill(n, (r) => 0.01 * r.normal()) : new Float32Array(n);
    return tf.tidy(() => tf.variable(tf.tensor(values, [1, ...s.shape])));
  });
  const adam = new Adam(vars);
  const t0 = performance.now();
  do {
    const batch = sinusoidBatch(
      Array.from({ length: 32 }, () => sampleSinusoidTask(rng)),
      10,
      10,
      rng,
    );
    tf.tidy(() => {
      const adapted = sgdSteps(tileTo(vars, 32), batch, o.innerSteps);
      const queryLoss = (...theta: tf.Tensor[]) =>
        tf.mean(perTaskMse(taskNet.forward(theta, batch.queryX), batch.queryY!)) as tf.Scalar;
      const g = tf.grads(queryLoss)(adapted);
      adam.apply(
        g.map((x) => tf.sum(x, 0, true)),
        o.lr ?? 1e-3,
      );
    });
    disposeBatch(batch);
  } while (performance.now() - t0 < o.seconds * 1000);
  adam.dispose();
  return vars;
}

/** Query MSE of θ on one batch (mean over its tasks). */
export function queryMse(theta: readonly tf.Tensor[], batch: TaskBatch): number {
  const m = tf.tidy(() => tf.mean(perTaskMse(taskNet.forward(theta, batch.queryX), batch.queryY!)));
  const v = m.dataSync()[0];
  m.dispose();
  return v;
}

/**
 * Training one task network from a random init with Adam (lr 0.01) on the support set until its
 * query MSE is at most `target` (checked every `every` steps) or `cap` steps. Returns θ (caller
 * disposes) and the steps taken.
 */
export function trainFromScratch(
  batch: TaskBatch,
  o: { target: number; cap: number; every: number; rng: Rng },
): { theta: tf.Tensor[]; steps: number } {
  const init = taskNet.init(o.rng);
  const start = taskNet.paramShapes.map((s, i) => tf.tensor(init[i], [1, ...s.shape]));
  const r = adamToTarget(start, batch, o);
  tf.dispose(start);
  return r;
}

/**
 * Adam (lr 0.01) on one task's support set from `start` (θ [1, ...shape]; not changed) until the
 * query MSE is at most `target` (checked every `every` steps) or `cap` steps. Returns θ (caller
 * disposes) and the steps taken.
 */
export function adamToTarget(
  start: readonly tf.Tensor[],
  batch: TaskBatch,
  o: { target: number; cap: number; every: number },
): { theta: tf.Tensor[]; steps: number } {
  const vars = start.map((t) => tf.tidy(() => tf.variable(t.clone())));
  const adam = new Adam(vars);
  const loss = () => tf.sum(perTaskMse(taskNet.forward(vars, batch.supportX), batch.supportY)) as tf.Scalar;
  let steps = 0;
  while (steps < o.cap) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(loss, vars);
      adam.apply(
        vars.map((v) => grads[v.name]),
        0.01,
      );
    });
    steps++;
    if (steps % o.every === 0 && queryMse(vars, batch) <= o.target) break;
  }
  adam.dispose();
  const theta = vars.map((v) => tf.clone(v));
  tf.dispose(vars);
  return { theta, steps };
}
