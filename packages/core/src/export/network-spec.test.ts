import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { conv4ForwardFlops } from '../fewshot/conv4.js';
import { networkCost } from './network-cost.js';
import { foldAffine, layerShapes, type NetworkSpec } from './network-spec.js';

const conv = (cin: number, cout: number) => ({
  kind: 'conv2d' as const,
  kernel: new Float32Array(9 * cin * cout).fill(0.1),
  kernelShape: [3, 3, cin, cout] as [number, number, number, number],
  stride: 1,
  padding: 'same' as const,
});

function conv4(filters: number): NetworkSpec {
  const layers: NetworkSpec['layers'] = [];
  for (let i = 0; i < 4; i++)
    layers.push(
      conv(i ? filters : 1, filters),
      { kind: 'affine', scale: new Float32Array(filters).fill(2), shift: new Float32Array(filters).fill(1) },
      { kind: 'maxPool', size: 2, stride: 2 },
      { kind: 'relu' },
    );
  layers.push(
    { kind: 'flatten' },
    { kind: 'dense', kernel: new Float32Array(filters * 5), kernelShape: [filters, 5] },
  );
  return { inputShape: [28, 28, 1], layers, inputNote: '', outputNote: '' };
}

describe('network specs', () => {
  it('follow shapes through conv4 (28 → 14 → 7 → 3 → 1) and count its multiply-adds as conv4 does', () => {
    const spec = conv4(8);
    expect(
      layerShapes(spec)
        .filter((_, i) => i % 4 === 2)
        .slice(0, 4),
    ).toEqual([
      [14, 14, 8],
      [7, 7, 8],
      [3, 3, 8],
      [1, 1, 8],
    ]);
    const cost = networkCost(foldAffine(spec));
    expect(cost.macs).toBe(conv4ForwardFlops(8, 1) / 2 + 8 * 5);
    expect(cost.params).toBe(9 * 8 + 3 * 9 * 64 + 4 * 8 + 40);
  });

  it('fold an affine map into the convolution before it', () => {
    const folded = foldAffine(conv4(2));
    const first = folded.layers[0] as ReturnType<typeof conv> & { bias: Float32Array };
    expect(Array.from(first.kernel).every((v) => Math.abs(v - 0.2) < 1e-7)).toBe(true);
    expect(Array.from(first.bias)).toEqual([1, 1]);
    expect(folded.layers.some((l) => l.kind === 'affine')).toBe(false);
  });

  it('refuse a bad layer by its index', () => {
    const spec = conv4(4);
    spec.layers[4] = conv(3, 4); // the second conv expects 4 input channels
    expect(() => layerShapes(spec)).toThrow(
      /network layer 4: kernel \[3,3,3,4\] does not fit 4 input channels/,
    );
    const nan = conv4(4);
    (nan.layers[1] as { scale: Float32Array }).scale[0] = NaN;
    expect(() => layerShapes(nan)).toThrow(InvalidArgumentError);
    const labels = { ...conv4(4), labels: ['a', 'b'] };
    expect(() => layerShapes(labels)).toThrow(/2 labels for a network output of shape \[5\]/);
  });
});
