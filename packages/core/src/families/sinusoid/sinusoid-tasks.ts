import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import type { Rng } from '../../random/rng.js';
import type { TaskBatch } from '../../tasks/task-batch.js';
import { checkInt } from '../../validate/checks.js';
import type { RegressionTaskSource } from '../../model/regression-learner.js';

/** MAML's sinusoid protocol (Finn et al. 2017): y = A sin(x - φ). */
export const SINUSOID = {
  amplitude: [0.1, 5.0],
  phase: [0, Math.PI],
  x: [-5, 5],
} as const;

export interface SinusoidTask {
  amplitude: number;
  phase: number;
}

export function sinusoidValue(task: SinusoidTask, x: number): number {
  return task.amplitude * Math.sin(x - task.phase);
}

export function sampleSinusoidTask(rng: Rng): SinusoidTask {
  return {
    amplitude: rng.range(SINUSOID.amplitude[0], SINUSOID.amplitude[1]),
    phase: rng.range(SINUSOID.phase[0], SINUSOID.phase[1]),
  };
}

const checkCount = (name: string, n: number, max: number) => checkInt(name, n, 1, max);

/** Points of `tasks` at uniformly drawn x, as a [T, n, 1] pair. */
function samplePoints(
  tasks: readonly SinusoidTask[],
  n: number,
  rng: Rng,
): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(tasks.length * n);
  const y = new Float32Array(tasks.length * n);
  tasks.forEach((task, t) => {
    for (let i = 0; i < n; i++) {
      const v = rng.range(SINUSOID.x[0], SINUSOID.x[1]);
      x[t * n + i] = v;
      y[t * n + i] = sinusoidValue(task, v);
    }
  });
  return { x, y };
}

/** Support and query points for the given tasks; the query points are drawn separately from the support. */
export function sinusoidBatch(
  tasks: readonly SinusoidTask[],
  shots: number,
  queries: number,
  rng: Rng,
  taskIds?: Int32Array,
): TaskBatch {
  checkCount('shots', shots, 10_000);
  checkCount('queries', queries, 100_000);
  const T = tasks.length;
  const s = samplePoints(tasks, shots, rng);
  const q = samplePoints(tasks, queries, rng);
  return {
    supportX: tf.tensor3d(s.x, [T, shots, 1]),
    supportY: tf.tensor3d(s.y, [T, shots, 1]),
    queryX: tf.tensor3d(q.x, [T, queries, 1]),
    queryY: tf.tensor3d(q.y, [T, queries, 1]),
    taskIds,
  };
}

/**
 * Task streams. Training draws from `train`, evaluation from `eval`: the eval stream is the
 * training stream jumped 2^64 draws ahead, so for one seed the two never share a task.
 */
export class SinusoidTasks implements RegressionTaskSource {
  /** A fixed pool of training tasks (only for embedding conditioning, which learns one code per task). */
  readonly pool?: SinusoidTask[];

  constructor(poolSize: number | undefined, poolRng?: Rng) {
    if (poolSize !== undefined) {
      checkCount('task pool size', poolSize, 10_000_000);
      if (!poolRng) throw new InvalidArgumentError('a task pool needs a random stream');
      this.pool = Array.from({ length: poolSize }, () => sampleSinusoidTask(poolRng));
    }
  }

  /** T training tasks: fresh draws, or draws from the fixed pool with their ids. */
  sampleTrain(T: number, shots: number, queries: number, rng: Rng): TaskBatch {
    checkCount('meta-batch', T, 1_000_000);
    if (this.pool) {
      const ids = Int32Array.from({ length: T }, () => rng.int(this.pool!.length));
      return sinusoidBatch(
        Array.from(ids, (i) => this.pool![i]),
        shots,
        queries,
        rng,
        ids,
      );
    }
    return sinusoidBatch(
      Array.from({ length: T }, () => sampleSinusoidTask(rng)),
      shots,
      queries,
      rng,
    );
  }
}

/** Fresh tasks with their points, in the order evaluation draws them (task, then its points). */
export function drawSinusoidTasks(n: number, shots: number, queries: number, rng: Rng): TaskBatch {
  return sinusoidBatch(
    Array.from({ length: n }, () => sampleSinusoidTask(rng)),
    shots,
    queries,
    rng,
  );
}
