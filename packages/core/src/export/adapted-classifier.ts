import type * as tf from '@tensorflow/tfjs-core';
import { classifierLayer, type DenseLayer, type LayerSpec } from './network-spec.js';

/**
 * A few-shot method's classifier after adapting to one support set, for export: the layers that
 * give the method's query logits, after the model's backbone (`backbone`: the weights the queries
 * are embedded with; the exporter writes the backbone's layers with batch norm fixed to the
 * support set's statistics) or from the input on (no `backbone`: a network of the method's own).
 */
export interface AdaptedClassifier {
  backbone?: tf.Tensor[];
  layers: LayerSpec[];
}

/** hypermeta's linear classifier (weight rows w [C, F], bias b [C]) as a dense layer. */
export function linearHeadLayer(w: tf.Tensor2D, b: tf.Tensor): DenseLayer {
  return classifierLayer(w.dataSync() as Float32Array, w.shape[0], b.dataSync() as Float32Array);
}
