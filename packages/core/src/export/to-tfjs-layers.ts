import { type LayerSpec, layerShapes, type NetworkSpec } from './network-spec.js';

/** The weight file model.json names (beside it, in the same folder). */
export const TFJS_WEIGHTS_FILE = 'model.weights.bin';

/** A tfjs-layers model as `tf.loadLayersModel` reads it: model.json's object and its one weight file. */
export interface TfjsLayersModel {
  modelJson: Record<string, unknown>;
  weights: Uint8Array;
}

interface Weight {
  name: string;
  shape: number[];
  values: ArrayLike<number>;
}

type Keras = { class_name: string; config: Record<string, unknown> };

/**
 * l2Normalize with built-in layers only (tfjs-layers has no L2-normalisation layer, and a custom
 * one would need code to load): Dense [I, −I] makes [x, −x], whose mean is 0 and whose variance
 * is ‖x‖²/F, so LayerNormalization divides by ‖x‖/√F; a Dense back to F units restores the scale.
 * The result is scale·x / √(‖x‖² + ε²) where hypermeta computes scale·x / (‖x‖ + ε): the same up
 * to ε/‖x‖ relative (1e-6 for a unit-norm embedding and ε = 1e-6).
 */
function l2NormalizeLayers(
  name: string,
  features: number,
  scale: number,
  epsilon: number,
): [Keras, Weight[]][] {
  const split = new Float32Array(features * 2 * features);
  const merge = new Float32Array(2 * features * features);
  const k = scale / (2 * Math.sqrt(features));
  for (let f = 0; f < features; f++) {
    split[f * 2 * features + f] = 1;
    split[f * 2 * features + features + f] = -1;
    merge[f * features + f] = k;
    merge[(features + f) * features + f] = -k;
  }
  const dense = (n: string, units: number): Keras => ({
    class_name: 'Dense',
    config: { name: n, units, activation: 'linear', use_bias: false, trainable: false },
  });
  return [
    [
      dense(`${name}_split`, 2 * features),
      [{ name: `${name}_split/kernel`, shape: [features, 2 * features], values: split }],
    ],
    [
      {
        class_name: 'LayerNormalization',
        config: {
          name: `${name}_norm`,
          axis: -1,
          epsilon: (epsilon * epsilon) / features,
          center: false,
          scale: false,
          trainable: false,
        },
      },
      [],
    ],
    [
      dense(`${name}_merge`, features),
      [{ name: `${name}_merge/kernel`, shape: [2 * features, features], values: merge }],
    ],
  ];
}

/** One spec layer as Keras layer configs and their weights (named `<layer name>/<weight>`). */
function kerasLayers(l: LayerSpec, name: string, inShape: number[]): [Keras, Weight[]][] {
  const w = (suffix: string, shape: number[], values: ArrayLike<number>): Weight => ({
    name: `${name}/${suffix}`,
    shape,
    values,
  });
  switch (l.kind) {
    case 'conv2d': {
      const [kh, kw, , cout] = l.kernelShape;
      const config = {
        name,
        filters: cout,
        kernel_size: [kh, kw],
        strides: [l.stride, l.stride],
        padding: l.padding,
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: 'linear',
        use_bias: l.bias !== undefined,
        trainable: false,
      };
      const ws = [w('kernel', l.kernelShape, l.kernel), ...(l.bias ? [w('bias', [cout], l.bias)] : [])];
      return [[{ class_name: 'Conv2D', config }, ws]];
    }
    case 'dense': {
      const config = {
        name,
        units: l.kernelShape[1],
        activation: 'linear',
        use_bias: l.bias !== undefined,
        trainable: false,
      };
      const ws = [
        w('kernel', l.kernelShape, l.kernel),
        ...(l.bias ? [w('bias', [l.kernelShape[1]], l.bias)] : []),
      ];
      return [[{ class_name: 'Dense', config }, ws]];
    }
    case 'affine': {
      // Batch norm with mean 0, variance 1 and ε = 0 is x·gamma + beta: the affine map itself.
      const c = l.scale.length;
      const config = { name, axis: -1, epsilon: 0, center: true, scale: true, trainable: false };
      const ws = [
        w('gamma', [c], l.scale),
        w('beta', [c], l.shift),
        w('moving_mean', [c], new Float32Array(c)),
        w('moving_variance', [c], new Float32Array(c).fill(1)),
      ];
      return [[{ class_name: 'BatchNormalization', config }, ws]];
    }
    case 'relu':
      return [[{ class_name: 'Activation', config: { name, activation: 'relu', trainable: false } }, []]];
    case 'maxPool': {
      const config = {
        name,
        pool_size: [l.size, l.size],
        strides: [l.stride, l.stride],
        padding: 'valid',
        data_format: 'channels_last',
        trainable: false,
      };
      return [[{ class_name: 'MaxPooling2D', config }, []]];
    }
    case 'flatten':
      return [[{ class_name: 'Flatten', config: { name, trainable: false } }, []]];
    case 'l2Normalize':
      return l2NormalizeLayers(name, inShape[0], l.scale, l.epsilon);
  }
}

/**
 * The network as a tfjs-layers Sequential model: model.json's content (topology and weights
 * manifest, the weights in one file, TFJS_WEIGHTS_FILE) and that file's bytes, little-endian float32.
 */
export function toTfjsLayers(spec: NetworkSpec, metadata: Record<string, unknown> = {}): TfjsLayersModel {
  const shapes = layerShapes(spec);
  const layers: Keras[] = [];
  const weights: Weight[] = [];
  spec.layers.forEach((l, i) => {
    for (const [layer, ws] of kerasLayers(
      l,
      `l${i}_${l.kind.toLowerCase()}`,
      i ? shapes[i - 1] : spec.inputShape,
    )) {
      layers.push(layer);
      weights.push(...ws);
    }
  });
  // A Sequential model needs at least one layer to carry the input shape.
  if (layers.length === 0)
    layers.push({ class_name: 'Activation', config: { name: 'identity', activation: 'linear' } });
  layers[0].config.batch_input_shape = [null, ...spec.inputShape];
  layers[0].config.dtype = 'float32';
  const total = weights.reduce((a, x) => a + x.values.length, 0);
  const bytes = new Uint8Array(4 * total);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const x of weights)
    for (let j = 0; j < x.values.length; j++, at += 4) view.setFloat32(at, x.values[j], true);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'hypermeta',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'hypermeta_adapted_network', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [
        {
          paths: [TFJS_WEIGHTS_FILE],
          weights: weights.map((x) => ({ name: x.name, shape: x.shape, dtype: 'float32' })),
        },
      ],
      userDefinedMetadata: {
        input: spec.inputNote,
        output: spec.outputNote,
        ...(spec.labels ? { labels: spec.labels } : {}),
        ...metadata,
      },
    },
    weights: bytes,
  };
}
