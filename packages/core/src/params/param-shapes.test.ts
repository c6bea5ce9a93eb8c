import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '../index.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { flattenBatched, unflattenBatched } from './flat-params.js';
import { paramCount, paramOffsets, parseParamShapes, sameParamShapes } from './param-shapes.js';

const shapes = [
  { name: 'w', shape: [2, 3] },
  { name: 'b', shape: [3] },
];

describe('ParamShapes', () => {
  it('counts parameters and offsets', () => {
    expect(paramCount(shapes)).toBe(9);
    expect(paramOffsets(shapes)).toEqual([0, 6]);
  });

  it('parses valid data and rejects malformed shapes', () => {
    expect(sameParamShapes(parseParamShapes(JSON.parse(JSON.stringify(shapes))), shapes)).toBe(true);
    expect(() => parseParamShapes({})).toThrow(InvalidArgumentError);
    expect(() => parseParamShapes([{ name: 'a', shape: [0] }])).toThrow(/positive integers/);
    expect(() =>
      parseParamShapes([
        { name: 'a', shape: [1] },
        { name: 'a', shape: [1] },
      ]),
    ).toThrow(/duplicate/);
    expect(() => parseParamShapes([{ shape: [1] }])).toThrow(/name/);
  });

  it('splits a flat [T, P] batch into shaped tensors and back', async () => {
    await tf.setBackend('cpu');
    const flat = tf.tensor2d(
      Array.from({ length: 18 }, (_, i) => i),
      [2, 9],
    );
    const parts = unflattenBatched(flat, shapes);
    expect(parts.map((p) => p.shape)).toEqual([
      [2, 2, 3],
      [2, 3],
    ]);
    expect(Array.from(parts[1].dataSync())).toEqual([6, 7, 8, 15, 16, 17]);
    expect(Array.from(flattenBatched(parts).dataSync())).toEqual(Array.from(flat.dataSync()));
  });

  it('drops the padding a chunked generator produces past the last parameter', async () => {
    const padded = tf.zeros([1, 12]) as tf.Tensor2D;
    expect(unflattenBatched(padded, shapes).map((p) => p.shape)).toEqual([
      [1, 2, 3],
      [1, 3],
    ]);
  });
});
