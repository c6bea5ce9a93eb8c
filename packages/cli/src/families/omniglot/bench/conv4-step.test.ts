import { describe, expect, it } from 'vitest';
import { Conv4MetaStep, conv4Flops } from './conv4-step.js';

describe('conv4 meta-step FLOPs', () => {
  it('count forward and backward of every conv, plus the modulation pass over the support set where there is one', () => {
    // 120 images at 64 filters: 6.96 GFLOP of conv forward and backward (by hand: layer by layer,
    // 2 · H · W · 9 · Cin · Cout per image, × 2 for the first layer, × 3 for the others).
    expect(conv4Flops(120)).toBe(6_958_448_640);
    const plain = new Conv4MetaStep(20, 1, 64, false);
    expect(plain.flops(120)).toBe(6_958_448_640);
    plain.dispose();
    const step = new Conv4MetaStep(20, 1, 64, true);
    // + one forward over the 20 support images (19,630,080 FLOPs each) for the task code.
    expect(step.flops(120)).toBe(6_958_448_640 + 20 * 19_630_080);
    step.dispose();
  });
});
