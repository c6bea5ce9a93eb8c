import * as tf from '@tensorflow/tfjs-core';

/**
 * The loss and one gradient per variable, in the variables' order: zeros for a variable the
 * loss does not reach (tf.variableGrads leaves it out). The caller disposes all of them.
 */
export function gradientsInOrder(
  loss: () => tf.Scalar,
  vars: readonly tf.Variable[],
): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(loss, [...vars]);
  return { value, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}
