import { type NetworkCost, networkCost } from './network-cost.js';
import { foldAffine, type NetworkSpec } from './network-spec.js';
import { toOnnx } from './to-onnx.js';
import { TFJS_WEIGHTS_FILE, toTfjsLayers } from './to-tfjs-layers.js';

/** The files of an exported network, by name, and what it costs per example. */
export interface ExportedNetwork {
  /** model.json, model.weights.bin, model.onnx, and labels.json for a classifier. */
  files: Record<string, Uint8Array>;
  cost: NetworkCost;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Everything `--export DIR` writes, in memory (browser-safe: the web demo zips the same bytes):
 * the network as a tfjs-layers model and as ONNX, each affine map after a convolution or dense
 * layer folded into it first, and the class labels in output order.
 */
export function exportNetwork(spec: NetworkSpec, producerVersion = ''): ExportedNetwork {
  const folded = foldAffine(spec);
  const tfjs = toTfjsLayers(folded, producerVersion ? { hypermeta: producerVersion } : {});
  const files: Record<string, Uint8Array> = {
    'model.json': utf8(`${JSON.stringify(tfjs.modelJson)}\n`),
    [TFJS_WEIGHTS_FILE]: tfjs.weights,
    'model.onnx': toOnnx(folded, producerVersion),
  };
  if (spec.labels) files['labels.json'] = utf8(`${JSON.stringify(spec.labels)}\n`);
  return { files, cost: networkCost(folded) };
}
