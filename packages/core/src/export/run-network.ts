import * as tf from '@tensorflow/tfjs-core';
import { layerShapes, type NetworkSpec } from './network-spec.js';

/**
 * Runs a network spec on tfjs-core with the ops hypermeta's own models use: the reference the
 * exported files are checked against, and a way to run an exported network inside hypermeta.
 * x is [N, ...inputShape]; the result [N, ...outputShape]. Call inside tf.tidy.
 */
export function runNetwork(spec: NetworkSpec, x: tf.Tensor): tf.Tensor {
  layerShapes(spec);
  let h = x;
  for (const l of spec.layers) {
    switch (l.kind) {
      case 'conv2d':
        h = tf.conv2d(h as tf.Tensor4D, tf.tensor4d(l.kernel, l.kernelShape), l.stride, l.padding);
        if (l.bias) h = tf.add(h, tf.tensor1d(l.bias));
        break;
      case 'affine':
        h = tf.add(tf.mul(h, tf.tensor1d(l.scale)), tf.tensor1d(l.shift));
        break;
      case 'relu':
        h = tf.relu(h);
        break;
      case 'maxPool':
        h = tf.maxPool(h as tf.Tensor4D, l.size, l.stride, 'valid');
        break;
      case 'flatten':
        h = tf.reshape(h, [h.shape[0], -1]);
        break;
      case 'dense':
        h = tf.matMul(h as tf.Tensor2D, tf.tensor2d(l.kernel, l.kernelShape));
        if (l.bias) h = tf.add(h, tf.tensor1d(l.bias));
        break;
      case 'l2Normalize':
        h = tf.mul(tf.div(h, tf.add(tf.norm(h, 2, 1, true), l.epsilon)), l.scale);
        break;
    }
  }
  return h;
}
