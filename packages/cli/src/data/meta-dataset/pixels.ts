import { DataError } from '@hypermeta/core';
import { decodeImage, decodeRgba } from '../image-decode.js';

/**
 * How an encoded image becomes size×size values in [0, 1]:
 * - `ink`: the CLI's standard conversion (image-decode.ts): grayscale, polarity normalised so
 *   strokes = 1 and background = 0, for drawings (Omniglot, QuickDraw);
 * - `luminance`: Rec. 601 luminance / 255 as it is (white = 1), no inversion, for photographs,
 *   where "ink" has no meaning and a per-image polarity flip would scramble the data.
 */
export type PixelMode = 'ink' | 'luminance';

/** Meta-Dataset's sources that are drawings; every other one is photographs. */
const DRAWINGS = new Set(['omniglot', 'quickdraw']);

/** `ink` for Meta-Dataset's drawing sources (omniglot, quickdraw), `luminance` for the rest. */
export function pixelModeFor(datasetName: string): PixelMode {
  return DRAWINGS.has(datasetName.toLowerCase()) ? 'ink' : 'luminance';
}

export function decodePixels(bytes: Uint8Array, name: string, size: number, mode: PixelMode): Float32Array {
  return mode === 'ink' ? decodeImage(bytes, name, size) : decodeLuminance(bytes, name, size);
}

/** Grayscale luminance in [0, 1] (transparency composited onto white), area-averaged to size x size. */
export function decodeLuminance(bytes: Uint8Array, name: string, size: number): Float32Array {
  const { width, height, data } = decodeRgba(bytes, name);
  if (width < 1 || height < 1) throw new DataError(`${name}: image has no pixels`);
  const gray = new Float32Array(width * height);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) {
    const lum = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
    const a = data[p + 3];
    gray[i] = (lum * a + 255 * (255 - a)) / (255 * 255);
  }
  const out = areaResize(gray, width, height, size);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}

/** Separable area-averaging resize (each output cell averages the source area it covers). */
function areaResize(src: Float32Array, w: number, h: number, size: number): Float32Array {
  if (w === size && h === size) return src;
  const tx = areaTaps(w, size);
  const ty = areaTaps(h, size);
  const rows = new Float32Array(h * size);
  for (let y = 0; y < h; y++) {
    for (let o = 0; o < size; o++) {
      let acc = 0;
      for (const [j, wgt] of tx[o]) acc += src[y * w + j] * wgt;
      rows[y * size + o] = acc;
    }
  }
  const out = new Float32Array(size * size);
  for (let o = 0; o < size; o++) {
    for (const [j, wgt] of ty[o]) {
      for (let x = 0; x < size; x++) out[o * size + x] += rows[j * size + x] * wgt;
    }
  }
  return out;
}

/** For each output cell, the source cells it overlaps with their share of its area. */
function areaTaps(src: number, dst: number): Array<Array<[number, number]>> {
  const scale = src / dst;
  const taps: Array<Array<[number, number]>> = [];
  for (let o = 0; o < dst; o++) {
    const lo = o * scale;
    const hi = (o + 1) * scale;
    const cell: Array<[number, number]> = [];
    for (let j = Math.floor(lo); j < Math.min(src, Math.ceil(hi)); j++) {
      const overlap = Math.min(j + 1, hi) - Math.max(j, lo);
      if (overlap > 0) cell.push([j, overlap / scale]);
    }
    taps.push(cell);
  }
  return taps;
}
