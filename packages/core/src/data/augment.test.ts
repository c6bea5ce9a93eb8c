import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { defaultJitter, jitterInto, strokeInto } from './augment.js';

const SIZE = 28;

// A plus sign of ink in the middle of an otherwise empty image.
function plus(): Float32Array {
  const img = new Float32Array(SIZE * SIZE);
  for (let i = 8; i < 20; i++) {
    img[14 * SIZE + i] = 1;
    img[i * SIZE + 14] = 1;
  }
  return img;
}

const sum = (x: Float32Array): number => x.reduce((a, b) => a + b, 0);
const centroid = (x: Float32Array): [number, number] => {
  let r = 0,
    c = 0;
  x.forEach((v, i) => {
    r += v * Math.floor(i / SIZE);
    c += v * (i % SIZE);
  });
  return [r / sum(x), c / sum(x)];
};

describe('jitterInto', () => {
  it('is the identity when every range is zero', () => {
    const src = plus();
    const dst = new Float32Array(src.length);
    jitterInto(src, dst, SIZE, Rng.fromSeed(1), { degrees: 0, scale: 0, shear: 0, shift: 0 });
    expect(Array.from(dst)).toEqual(Array.from(src));
  });

  it('moves the ink by at most the shift and keeps roughly its amount', () => {
    const src = plus();
    const rng = Rng.fromSeed(2);
    let changed = 0;
    for (let t = 0; t < 50; t++) {
      const dst = new Float32Array(src.length);
      jitterInto(src, dst, SIZE, rng);
      const [r, c] = centroid(dst);
      const reach = defaultJitter.shift * SIZE + 1;
      expect(Math.abs(r - 13.5)).toBeLessThan(reach + 0.5);
      expect(Math.abs(c - 13.5)).toBeLessThan(reach + 0.5);
      // area scales by sx·sy ∈ [0.81, 1.21]; bilinear blur keeps the sum close to that
      expect(sum(dst) / sum(src)).toBeGreaterThan(0.7);
      expect(sum(dst) / sum(src)).toBeLessThan(1.35);
      if (dst.some((v, i) => Math.abs(v - src[i]) > 0.1)) changed++;
    }
    expect(changed).toBe(50);
  });

  it('keeps values in [0, 1] and is reproducible from the seed', () => {
    const src = plus();
    const a = new Float32Array(src.length);
    const b = new Float32Array(src.length);
    jitterInto(src, a, SIZE, Rng.fromSeed(9));
    jitterInto(src, b, SIZE, Rng.fromSeed(9));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('strokeInto thickens and thins the ink by the fraction asked, leaving t = 0 alone', () => {
    const ink = sum(plus());
    const full = plus();
    strokeInto(full, SIZE, 1);
    // the plus's 1-pixel arms become 3 pixels wide; its ends grow by one pixel each
    expect(sum(full)).toBe(3 * 14 + 3 * 14 - 9);
    const half = plus();
    strokeInto(half, SIZE, 0.5);
    expect(sum(half)).toBeCloseTo((ink + sum(full)) / 2, 4);
    const thin = plus();
    strokeInto(thin, SIZE, -1);
    // a 1-pixel stroke has no pixel whose whole neighbourhood is ink
    expect(sum(thin)).toBe(0);
    const same = plus();
    strokeInto(same, SIZE, 0);
    expect(Array.from(same)).toEqual(Array.from(plus()));
  });

  it('a stroke range makes jitterInto vary the ink width with the same affine draws', () => {
    const a = new Float32Array(SIZE * SIZE);
    const b = new Float32Array(SIZE * SIZE);
    const masses: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      jitterInto(plus(), a, SIZE, Rng.fromSeed(seed), defaultJitter);
      jitterInto(plus(), b, SIZE, Rng.fromSeed(seed), { ...defaultJitter, stroke: 1 });
      masses.push(sum(b) / sum(a));
      expect(Math.max(...b)).toBeLessThanOrEqual(1 + 1e-6);
    }
    expect(Math.min(...masses)).toBeLessThan(0.9);
    expect(Math.max(...masses)).toBeGreaterThan(1.3);
  });
});
