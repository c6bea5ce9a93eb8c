import { layerShapes, type NetworkSpec } from './network-spec.js';

/** What one example costs the exported network: counted from its shapes, not timed. */
export interface NetworkCost {
  /** Float32 parameters (kernels, biases, affine scales and shifts). */
  params: number;
  /** Bytes of those parameters (4 each): what the weight file holds. */
  weightBytes: number;
  /** Multiply-adds of the convolutions and dense layers for one example. */
  macs: number;
  /**
   * Floating-point operations for one example: 2 per multiply-add, plus one per bias add, affine
   * multiply and add, ReLU, pooling comparison and normalisation step.
   */
  flops: number;
  /** Bytes of the largest layer input plus output for one example (float32): the working memory a runtime needs beside the weights. */
  peakActivationBytes: number;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export function networkCost(spec: NetworkSpec): NetworkCost {
  const shapes = layerShapes(spec);
  let [params, macs, other, peak] = [0, 0, 0, 0];
  let input = spec.inputShape;
  spec.layers.forEach((l, i) => {
    const out = shapes[i];
    const n = prod(out);
    switch (l.kind) {
      case 'conv2d': {
        const [kh, kw, cin] = l.kernelShape;
        params += l.kernel.length + (l.bias?.length ?? 0);
        macs += n * kh * kw * cin;
        if (l.bias) other += n;
        break;
      }
      case 'dense':
        params += l.kernel.length + (l.bias?.length ?? 0);
        macs += l.kernel.length;
        if (l.bias) other += n;
        break;
      case 'affine':
        params += l.scale.length + l.shift.length;
        other += 2 * n;
        break;
      case 'relu':
        other += n;
        break;
      case 'maxPool':
        other += n * (l.size * l.size - 1);
        break;
      case 'l2Normalize':
        other += 4 * n; // square, sum, divide, scale
        break;
      case 'flatten':
        break;
    }
    peak = Math.max(peak, 4 * (prod(input) + n));
    input = out;
  });
  return { params, weightBytes: 4 * params, macs, flops: 2 * macs + other, peakActivationBytes: peak };
}
