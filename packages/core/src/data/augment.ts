import type { Rng } from '../random/rng.js';

/** Ranges of the random affine distortion applied to each training image. */
export interface AffineJitter {
  /** Maximum rotation either way, in degrees. */
  degrees: number;
  /** Scale drawn from [1 - scale, 1 + scale], per axis. */
  scale: number;
  /** Horizontal shear factor drawn from [-shear, shear]. */
  shear: number;
  /** Maximum shift either way, as a fraction of the side length. */
  shift: number;
  /**
   * Maximum stroke-width change, 0–1: the distorted image moves this far (at most) towards its
   * 3 × 3 dilation (thicker) or erosion (thinner). 0 or absent: strokes are left as drawn.
   */
  stroke?: number;
}

// Mild enough that a character stays itself (Omniglot strokes are thin at 28 px).
export const defaultJitter: AffineJitter = { degrees: 10, scale: 0.1, shear: 0.15, shift: 0.08 };

/** Random numbers jitterInto draws per image with these ranges. */
export function jitterDraws(j: AffineJitter): number {
  return j.stroke ? 7 : 6;
}

/**
 * Writes a randomly distorted copy of the square image `src` into `dst`: a random rotation,
 * per-axis scale, shear and shift about the centre, resampled bilinearly; pixels that come
 * from outside the image are background (0); then, with `j.stroke`, a random stroke-width change.
 * Draws exactly jitterDraws(j) numbers from `rng`.
 */
export function jitterInto(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  rng: Rng,
  j: AffineJitter = defaultJitter,
): void {
  const theta = (rng.range(-j.degrees, j.degrees) * Math.PI) / 180;
  const sx = rng.range(1 - j.scale, 1 + j.scale);
  const sy = rng.range(1 - j.scale, 1 + j.scale);
  const sh = rng.range(-j.shear, j.shear);
  const tx = rng.range(-j.shift, j.shift) * size;
  const ty = rng.range(-j.shift, j.shift) * size;
  // forward map A = R(theta) · [[sx, sh], [0, sy]]; sample dst at p from src at A⁻¹(p - t)
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const a = c * sx,
    b = c * sh - s * sy,
    cc = s * sx,
    d = s * sh + c * sy;
  const det = a * d - b * cc;
  const ia = d / det,
    ib = -b / det,
    ic = -cc / det,
    id = a / det;
  const mid = (size - 1) / 2;
  for (let r = 0; r < size; r++) {
    for (let col = 0; col < size; col++) {
      const x = col - mid - tx;
      const y = r - mid - ty;
      const u = ia * x + ib * y + mid;
      const v = ic * x + id * y + mid;
      dst[r * size + col] = bilinear(src, size, u, v);
    }
  }
  if (j.stroke) strokeInto(dst, size, rng.range(-j.stroke, j.stroke));
}

/**
 * Thickens (t > 0) or thins (t < 0) the ink of `img` in place: each pixel moves |t| of the way
 * towards the maximum (dilation) or minimum (erosion) of its 3 × 3 neighbourhood. Handwriting and
 * print differ from Omniglot's thin pen strokes mostly in width, which affine maps cannot change.
 */
export function strokeInto(img: Float32Array, size: number, t: number): void {
  if (t === 0) return;
  const src = img.slice();
  const dilate = t > 0;
  const w = Math.abs(t);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let m = src[r * size + c];
      for (let dr = -1; dr <= 1; dr++) {
        const y = r + dr;
        for (let dc = -1; dc <= 1; dc++) {
          const x = c + dc;
          // Outside the image is background (0), as in the affine resampling.
          const v = y < 0 || x < 0 || y >= size || x >= size ? 0 : src[y * size + x];
          m = dilate ? Math.max(m, v) : Math.min(m, v);
        }
      }
      img[r * size + c] += w * (m - img[r * size + c]);
    }
  }
}

function bilinear(src: Float32Array, size: number, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  const at = (y: number, x: number): number =>
    x < 0 || y < 0 || x >= size || y >= size ? 0 : src[y * size + x];
  return (
    (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
    fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1))
  );
}
