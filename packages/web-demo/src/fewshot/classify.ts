import { FewShotModel, tf } from '@hypermeta/core';

export interface Classification {
  /** Softmax over the classes of the query's logits. */
  scores: number[];
  predicted: number;
  ms: number;
}

const SIZE = 28;

/**
 * THE MODEL CALL of the drawing panel. `support` holds ways×shots images, class-major
 * (image c·shots+s belongs to class c), each 28×28 with ink = 1, background = 0; `query` one image.
 * Uses core's FewShotModel.queryLogits (support [N·K,28,28,1], query [1,28,28,1]).
 */
export function classifyDrawing(
  model: FewShotModel,
  support: Float32Array[],
  ways: number,
  shots: number,
  query: Float32Array,
): Classification {
  if (support.length !== ways * shots)
    throw new Error(`expected ${ways}×${shots} support images, got ${support.length}`);
  const flat = new Float32Array(support.length * SIZE * SIZE);
  support.forEach((img, i) => flat.set(img, i * SIZE * SIZE));
  const ep = {
    ways,
    shots,
    support: tf.tensor4d(flat, [ways * shots, SIZE, SIZE, 1]),
    query: tf.tensor4d(query, [1, SIZE, SIZE, 1]),
  };
  try {
    const t0 = performance.now();
    const probs = tf.tidy(() => tf.softmax(model.queryLogits(ep)));
    const scores = Array.from(probs.dataSync());
    const ms = performance.now() - t0;
    probs.dispose();
    return { scores, predicted: scores.indexOf(Math.max(...scores)), ms };
  } finally {
    tf.dispose([ep.support, ep.query]);
  }
}
