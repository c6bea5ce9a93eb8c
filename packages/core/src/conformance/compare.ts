import * as tf from '@tensorflow/tfjs-core';

/** Max |a-b| / (1 + |b|) over all elements: a tolerance that is absolute near 0, relative elsewhere. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}

export function expectClose(what: string, a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  const err = maxRelError(a, b);
  if (!(err <= tol)) throw new Error(`${what}: relative error ${err.toExponential(2)} exceeds ${tol}`);
}

export function read(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** Runs f on the named tfjs backend and returns to the one that was active. */
export async function onBackend<T>(tfName: string, f: () => T | Promise<T>): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(tfName);
  try {
    // Awaited here, so an asynchronous f finishes before the previous backend returns.
    return await f();
  } finally {
    await tf.setBackend(before);
  }
}
