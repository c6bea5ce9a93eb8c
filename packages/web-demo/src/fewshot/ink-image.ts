/**
 * Canvas pixels → a size×size grayscale image with ink = 1 and background = 0: the conversion
 * `packages/cli/src/data/image-decode.ts` applies to Omniglot files (luminance, transparency
 * composited onto white, polarity from the border, area-averaging resize). Copied because that
 * module also decodes PNG/JPEG with Node-only packages; a test checks both give the same pixels.
 */
export function inkImage(rgba: ArrayLike<number>, width: number, height: number, size = 28): Float32Array {
  const gray = new Float32Array(width * height);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) {
    const lum = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
    const a = rgba[p + 3];
    gray[i] = (lum * a + 255 * (255 - a)) / (255 * 255);
  }
  if (whiteBackground(gray, width, height)) for (let i = 0; i < gray.length; i++) gray[i] = 1 - gray[i];
  const out = width === size && height === size ? gray : boxResize(gray, width, height, size);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}

/** Background is what the border mostly shows; when ambiguous, the majority of the image. */
function whiteBackground(gray: Float32Array, w: number, h: number): boolean {
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++, n += 2) sum += gray[x] + gray[(h - 1) * w + x];
  for (let y = 1; y < h - 1; y++, n += 2) sum += gray[y * w] + gray[y * w + w - 1];
  const border = sum / n;
  if (Math.abs(border - 0.5) >= 0.15) return border > 0.5;
  let all = 0;
  for (let i = 0; i < gray.length; i++) all += gray[i];
  return all / gray.length >= 0.5;
}

/** For each output cell, the source cells it overlaps and their share of its area. */
function taps(src: number, dst: number): { index: number[]; weight: Float32Array; start: number[] } {
  const scale = src / dst;
  const t = { index: [] as number[], weight: [] as number[], start: [] as number[] };
  // weights rounded to float32 like the CLI's, so both give bit-identical pixels
  for (let o = 0; o < dst; o++) {
    t.start.push(t.index.length);
    const [lo, hi] = [o * scale, (o + 1) * scale];
    for (let j = Math.floor(lo); j < Math.min(src, Math.ceil(hi)); j++) {
      const overlap = Math.min(j + 1, hi) - Math.max(j, lo);
      if (overlap > 0) t.index.push(j), t.weight.push(overlap / scale);
    }
  }
  t.start.push(t.index.length);
  return { ...t, weight: Float32Array.from(t.weight) };
}

/** Separable box filter, rows then columns (the same order of sums as the CLI's). */
function boxResize(src: Float32Array, w: number, h: number, size: number): Float32Array {
  const [tx, ty] = [taps(w, size), taps(h, size)];
  const rows = new Float32Array(h * size);
  for (let y = 0; y < h; y++) {
    for (let o = 0; o < size; o++) {
      let acc = 0;
      for (let t = tx.start[o]; t < tx.start[o + 1]; t++) acc += src[y * w + tx.index[t]] * tx.weight[t];
      rows[y * size + o] = acc;
    }
  }
  const out = new Float32Array(size * size);
  for (let o = 0; o < size; o++) {
    for (let t = ty.start[o]; t < ty.start[o + 1]; t++) {
      const row = ty.index[t] * size;
      for (let x = 0; x < size; x++) out[o * size + x] += rows[row + x] * ty.weight[t];
    }
  }
  return out;
}
