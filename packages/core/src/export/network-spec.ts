import { InvalidArgumentError } from '../errors/errors.js';

/**
 * A feed-forward network as plain data: what an adapted task network is once its weights are
 * fixed, so it can be written in formats other runtimes load (to-tfjs-layers.ts, to-onnx.ts).
 * Tensors are channels-last (NHWC for images), like everything in hypermeta; shapes never
 * include the batch dimension. docs/EXPORT.md describes each layer.
 */
export type LayerSpec =
  Conv2dLayer | AffineLayer | ReluLayer | MaxPoolLayer | FlattenLayer | DenseLayer | L2NormalizeLayer;

/** 2-D convolution, kernel [kh, kw, in, out] (tfjs's layout), TensorFlow's 'same' or 'valid' padding. */
export interface Conv2dLayer {
  kind: 'conv2d';
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias?: Float32Array;
  stride: number;
  padding: 'same' | 'valid';
}

/** y = x · scale + shift per channel (the last axis): batch norm with fixed statistics, folded. */
export interface AffineLayer {
  kind: 'affine';
  scale: Float32Array;
  shift: Float32Array;
}

export interface ReluLayer {
  kind: 'relu';
}

/** Max-pooling over size × size windows, 'valid' padding (incomplete windows at the edge are dropped). */
export interface MaxPoolLayer {
  kind: 'maxPool';
  size: number;
  stride: number;
}

/** [H, W, C] → [H·W·C] in channels-last order. */
export interface FlattenLayer {
  kind: 'flatten';
}

/** y = x · kernel + bias, kernel [in, out]. */
export interface DenseLayer {
  kind: 'dense';
  kernel: Float32Array;
  kernelShape: [number, number];
  bias?: Float32Array;
}

/** y = scale · x / (‖x‖₂ + epsilon) over a vector's entries. */
export interface L2NormalizeLayer {
  kind: 'l2Normalize';
  scale: number;
  epsilon: number;
}

export interface NetworkSpec {
  /** Input shape without the batch dimension: [28, 28, 1] for images (NHWC), [1] for a scalar x. */
  inputShape: number[];
  layers: LayerSpec[];
  /** The output units' names in order (class labels); absent for regression. */
  labels?: string[];
  /** What the inputs are and how they are prepared (for the exported files' description). */
  inputNote: string;
  /** What the outputs are. */
  outputNote: string;
}

const bad = (i: number, what: string) => new InvalidArgumentError(`network layer ${i}: ${what}`);

function checkArray(i: number, name: string, a: Float32Array | undefined, size: number): void {
  if (!(a instanceof Float32Array) || a.length !== size)
    throw bad(i, `${name} must hold ${size} float32 values, got ${a?.length ?? 'none'}`);
  if (!a.every(Number.isFinite)) throw bad(i, `${name} holds NaN or infinite values`);
}

const positiveInts = (xs: readonly number[]) => xs.every((x) => Number.isInteger(x) && x > 0);

/** Output shape of a 2-D window op over [h, w] (TensorFlow's rule for 'same' and 'valid'). */
export function windowOutput(
  size: number,
  window: number,
  stride: number,
  padding: 'same' | 'valid',
): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
}

/**
 * Checks a spec (array sizes, shapes flowing from layer to layer, finite weights) and returns the
 * output shape after each layer; throws InvalidArgumentError naming the first bad layer.
 */
export function layerShapes(spec: NetworkSpec): number[][] {
  if (!positiveInts(spec.inputShape) || spec.inputShape.length < 1)
    throw new InvalidArgumentError(
      `the network input shape must be positive integers, got [${spec.inputShape}]`,
    );
  let shape = [...spec.inputShape];
  const out: number[][] = [];
  spec.layers.forEach((l, i) => {
    const channels = shape[shape.length - 1];
    switch (l.kind) {
      case 'conv2d': {
        const [kh, kw, cin, cout] = l.kernelShape;
        if (shape.length !== 3) throw bad(i, `conv2d needs [h, w, c] inputs, got [${shape}]`);
        if (l.kernelShape.length !== 4 || !positiveInts(l.kernelShape) || cin !== channels)
          throw bad(i, `kernel [${l.kernelShape}] does not fit ${channels} input channels`);
        if (!Number.isInteger(l.stride) || l.stride < 1) throw bad(i, `stride must be ≥ 1, got ${l.stride}`);
        if (l.padding !== 'same' && l.padding !== 'valid')
          throw bad(i, `unknown padding ${String(l.padding)}`);
        checkArray(i, 'kernel', l.kernel, kh * kw * cin * cout);
        if (l.bias) checkArray(i, 'bias', l.bias, cout);
        const [h, w] = [
          windowOutput(shape[0], kh, l.stride, l.padding),
          windowOutput(shape[1], kw, l.stride, l.padding),
        ];
        if (h < 1 || w < 1) throw bad(i, `a ${kh}×${kw} kernel does not fit a ${shape[0]}×${shape[1]} input`);
        shape = [h, w, cout];
        break;
      }
      case 'affine':
        checkArray(i, 'scale', l.scale, channels);
        checkArray(i, 'shift', l.shift, channels);
        break;
      case 'relu':
        break;
      case 'maxPool': {
        if (shape.length !== 3) throw bad(i, `maxPool needs [h, w, c] inputs, got [${shape}]`);
        if (!positiveInts([l.size, l.stride])) throw bad(i, 'pool size and stride must be ≥ 1');
        const [h, w] = [
          windowOutput(shape[0], l.size, l.stride, 'valid'),
          windowOutput(shape[1], l.size, l.stride, 'valid'),
        ];
        if (h < 1 || w < 1)
          throw bad(i, `a ${l.size}×${l.size} pool does not fit a ${shape[0]}×${shape[1]} input`);
        shape = [h, w, channels];
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dense': {
        const [nin, nout] = l.kernelShape;
        if (shape.length !== 1) throw bad(i, `dense needs vector inputs (flatten first), got [${shape}]`);
        if (l.kernelShape.length !== 2 || !positiveInts(l.kernelShape) || nin !== channels)
          throw bad(i, `kernel [${l.kernelShape}] does not fit ${channels} inputs`);
        checkArray(i, 'kernel', l.kernel, nin * nout);
        if (l.bias) checkArray(i, 'bias', l.bias, nout);
        shape = [nout];
        break;
      }
      case 'l2Normalize':
        if (shape.length !== 1) throw bad(i, `l2Normalize needs vector inputs, got [${shape}]`);
        if (!Number.isFinite(l.scale) || !(l.epsilon >= 0))
          throw bad(i, 'scale must be finite and epsilon ≥ 0');
        break;
      default:
        throw bad(i, `unknown layer kind ${JSON.stringify((l as { kind: unknown }).kind)}`);
    }
    out.push(shape);
  });
  if (spec.labels && (spec.labels.length !== shape[0] || shape.length !== 1))
    throw new InvalidArgumentError(`${spec.labels.length} labels for a network output of shape [${shape}]`);
  return out;
}

/** The output shape of the whole network (without the batch dimension). */
export function outputShape(spec: NetworkSpec): number[] {
  const shapes = layerShapes(spec);
  return shapes.length ? shapes[shapes.length - 1] : spec.inputShape;
}

/**
 * Folds every affine map that directly follows a conv2d or dense layer into that layer's kernel
 * and bias: the same function with one layer fewer (the values differ by float rounding only).
 */
export function foldAffine(spec: NetworkSpec): NetworkSpec {
  const layers: LayerSpec[] = [];
  for (const l of spec.layers) {
    const prev = layers[layers.length - 1];
    if (l.kind === 'affine' && prev && (prev.kind === 'conv2d' || prev.kind === 'dense')) {
      const out = l.scale.length;
      const kernel = prev.kernel.map((v, j) => v * l.scale[j % out]);
      const bias = l.shift.map((t, c) => (prev.bias ? prev.bias[c] * l.scale[c] : 0) + t);
      layers[layers.length - 1] = { ...prev, kernel, bias };
    } else layers.push(l);
  }
  return { ...spec, layers };
}

/** Float32 parameters (kernels, biases, scales and shifts). */
export function specParamCount(spec: NetworkSpec): number {
  let n = 0;
  for (const l of spec.layers) {
    if (l.kind === 'conv2d' || l.kind === 'dense') n += l.kernel.length + (l.bias?.length ?? 0);
    else if (l.kind === 'affine') n += l.scale.length + l.shift.length;
  }
  return n;
}

/** A dense layer from a classifier in hypermeta's layout: one weight row per class, w [C, F], b [C]. */
export function classifierLayer(rows: Float32Array, classes: number, bias: Float32Array): DenseLayer {
  const features = rows.length / classes;
  const kernel = new Float32Array(rows.length);
  for (let c = 0; c < classes; c++)
    for (let f = 0; f < features; f++) kernel[f * classes + c] = rows[c * features + f];
  return { kind: 'dense', kernel, kernelShape: [features, classes], bias: Float32Array.from(bias) };
}
