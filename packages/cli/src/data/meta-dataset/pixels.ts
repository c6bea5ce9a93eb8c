import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '@hypermeta/core';
import { decodeImage } from '../image-decode.js';

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

/** The same bound image-decode.ts applies: at most 4096 x 4096 pixels, read from the header first. */
const MAX_PIXELS = 4096 * 4096;

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

function decodeRgba(bytes: Uint8Array, name: string): { width: number; height: number; data: Uint8Array } {
  const isPng =
    bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new DataError(`${name}: not a PNG or JPEG image`);
  if (isPng) checkPngSize(bytes, name);
  try {
    if (isPng) {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: png.width, height: png.height, data: png.data };
    }
    // jpeg-js checks every frame header against the resolution limit before allocating
    return jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: 512,
    });
  } catch (e) {
    throw new DataError(`${name}: cannot decode ${isPng ? 'PNG' : 'JPEG'} image (${(e as Error).message})`);
  }
}

/** Refuses a PNG any of whose IHDR chunks asks for more than MAX_PIXELS, before pngjs inflates it. */
function checkPngSize(b: Uint8Array, name: string): void {
  const u32 = (at: number) => b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  const isIhdr = (at: number) =>
    b[at + 4] === 0x49 && b[at + 5] === 0x48 && b[at + 6] === 0x44 && b[at + 7] === 0x52;
  if (b.length < 24 || !isIhdr(8)) throw new DataError(`${name}: cannot decode PNG image (no IHDR header)`);
  for (let at = 8; at + 16 <= b.length; at += 12 + u32(at)) {
    if (isIhdr(at) && u32(at + 8) * u32(at + 12) > MAX_PIXELS) {
      throw new DataError(
        `${name}: the image is ${u32(at + 8)}×${u32(at + 12)} pixels, more than the 4096×4096 an image may have`,
      );
    }
  }
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
