import { HypernetModel, Rng, SINUSOID, tf } from '@hypermeta/core';

export interface Point {
  x: number;
  y: number;
}

/** Evenly spaced inputs over the training range, where the curves are drawn and compared. */
export const GRID: number[] = Array.from(
  { length: 201 },
  (_, i) => SINUSOID.x[0] + ((SINUSOID.x[1] - SINUSOID.x[0]) * i) / 200,
);

// Encoder conditioning draws no noise; other conditionings get a fixed stream so the curve is stable.
const noise = Rng.fromSeed(0, 'web-demo');

/**
 * Adapts to the support points and predicts on GRID: one forward pass of the set encoder,
 * the generator and the task network. `ms` is the wall time of all of it, reading the result back.
 */
export function adaptAndPredict(
  model: HypernetModel,
  points: readonly Point[],
): { y: Float32Array; ms: number } {
  const K = points.length;
  const batch = {
    supportX: tf.tensor3d(
      points.map((p) => p.x),
      [1, K, 1],
    ),
    supportY: tf.tensor3d(
      points.map((p) => p.y),
      [1, K, 1],
    ),
    queryX: tf.tensor3d(GRID, [1, GRID.length, 1]),
  };
  try {
    const t0 = performance.now();
    const pred = model.predict(batch, noise);
    const y = pred.dataSync() as Float32Array;
    const ms = performance.now() - t0;
    pred.dispose();
    return { y, ms };
  } finally {
    tf.dispose([batch.supportX, batch.supportY, batch.queryX]);
  }
}

export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}
