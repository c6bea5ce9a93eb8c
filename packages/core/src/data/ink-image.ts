/**
 * RGBA pixels → a size×size grayscale image with ink = 1 and background = 0: the conversion
 * every image hypermeta reads goes through (Omniglot files, users' episode folders, the web
 * demo's drawing pad). Luminance, transparency composited onto white, polarity from the
 * border (dark strokes on white and light strokes on black both become ink = 1), then an
 * area-averaging resize. Pure JS: it runs in browsers too.
 */
export function inkImage(rgba: ArrayLike<number>, width: number, height: number, size: number): Float32Array {
  const gray = new Float32Array(width * height);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) {
    const lum = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
    const a = rgba[p + 3];
    gray[i] = (lum * a + 255 * (255 - a)) / (255 * 255); // composite transparency onto white
  }
  if (whiteBackground(gray, width, height)) for (let i = 0; i < gray.length; i++) gray[i] = 1 - gray[i];
  const out = boxResize(gray, width, height, size);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}

/**
 * Background is what the border mostly shows; if ink crowds the border so that it is
 * ambiguous, fall back to the majority over the whole image (strokes are thin).
 */
function whiteBackground(gray: Float32Array, w: number, h: number): boolean {
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    sum += gray[x] + gray[(h - 1) * w + x];
    n += 2;
  }
  for (let y = 1; y < h - 1; y++) {
    sum += gray[y * w] + gray[y * w + w - 1];
    n += 2;
  }
  const border = sum / n;
  if (Math.abs(border - 0.5) >= 0.15) return border > 0.5;
  let all = 0;
  for (let i = 0; i < gray.length; i++) all += gray[i];
  return all / gray.length >= 0.5;
}

interface Taps {
  index: Int32Array;
  weight: Float32Array;
  start: Int32Array;
}
const tapCache = new Map<string, Taps>(); // data sets repeat the same few image sizes

/** For each output cell, the source cells it overlaps and their share of its area. */
function boxTaps(src: number, dst: number): Taps {
  const key = `${src}>${dst}`;
  const hit = tapCache.get(key);
  if (hit) return hit;
  const scale = src / dst;
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(dst + 1);
  for (let o = 0; o < dst; o++) {
    start[o] = index.length;
    const lo = o * scale;
    const hi = (o + 1) * scale;
    for (let j = Math.floor(lo); j < Math.min(src, Math.ceil(hi)); j++) {
      const overlap = Math.min(j + 1, hi) - Math.max(j, lo);
      if (overlap > 0) {
        index.push(j);
        weight.push(overlap / scale);
      }
    }
  }
  start[dst] = index.length;
  const taps = { index: Int32Array.from(index), weight: Float32Array.from(weight), start };
  if (tapCache.size < 64) tapCache.set(key, taps);
  return taps;
}

/** Separable box (area-averaging) filter: exact for any ratio, no aliasing when shrinking. */
function boxResize(src: Float32Array, w: number, h: number, size: number): Float32Array {
  if (w === size && h === size) return src;
  const tx = boxTaps(w, size);
  const ty = boxTaps(h, size);
  const rows = new Float32Array(h * size); // horizontal pass
  for (let y = 0; y < h; y++) {
    for (let o = 0; o < size; o++) {
      let acc = 0;
      for (let t = tx.start[o]; t < tx.start[o + 1]; t++) acc += src[y * w + tx.index[t]] * tx.weight[t];
      rows[y * size + o] = acc;
    }
  }
  const out = new Float32Array(size * size); // vertical pass
  for (let o = 0; o < size; o++) {
    for (let t = ty.start[o]; t < ty.start[o + 1]; t++) {
      const wgt = ty.weight[t];
      const row = ty.index[t] * size;
      for (let x = 0; x < size; x++) out[o * size + x] += rows[row + x] * wgt;
    }
  }
  return out;
}
