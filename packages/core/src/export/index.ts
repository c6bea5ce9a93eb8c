/** Export of adapted networks: a plain-data layer description and the formats written from it. */
export type { AdaptedClassifier } from './adapted-classifier.js';
export { linearHeadLayer } from './adapted-classifier.js';
export { conv4Layers } from './conv4-layers.js';
export { type ExportedNetwork, exportNetwork } from './exported-network.js';
export { fewShotNetwork, IMAGE_INPUT_NOTE } from './fewshot-network.js';
export { mlpNetwork } from './mlp-network.js';
export { type NetworkCost, networkCost } from './network-cost.js';
export {
  classifierLayer,
  foldAffine,
  type LayerSpec,
  layerShapes,
  type NetworkSpec,
  outputShape,
  specParamCount,
} from './network-spec.js';
export { runNetwork } from './run-network.js';
export { ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT, toOnnx } from './to-onnx.js';
export { TFJS_WEIGHTS_FILE, type TfjsLayersModel, toTfjsLayers } from './to-tfjs-layers.js';
