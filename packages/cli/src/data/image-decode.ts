import { inflateSync } from 'node:zlib';
import { DataError, inkImage, InvalidArgumentError } from '@hypermeta/core';
import { formatBytes } from '../io/input-limits.js';
import { lazyModule } from '../lazy-module.js';

const jpeg = lazyModule<typeof import('jpeg-js')>('jpeg-js');
const pngjs = lazyModule<typeof import('pngjs')>('pngjs');

const IMAGE_EXT = /\.(png|jpe?g)$/i;

/** Whether a file name looks like an image we can decode (PNG or JPEG). */
export function isImageName(name: string): boolean {
  return IMAGE_EXT.test(name);
}

export function checkImageSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > 1024) {
    throw new InvalidArgumentError(`image size must be a whole number from 1 to 1024, got ${size}`);
  }
}

/**
 * Most pixels an image may have, read from its header before it is decoded: 4096 x 4096 (16.8 MP).
 * That covers a 12-megapixel photo (4032 x 3024) and a 600-dpi scan of a letter page; every image
 * is scaled down to at most 1024 x 1024 anyway, so a larger one loses nothing by being scaled
 * down first. Decoding one that large takes about 0.6 GB (35 bytes a pixel, measured; docs/RELIABILITY.md).
 */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

interface PngHeader {
  width: number;
  height: number;
  /** Bits per pixel: channels (by colour type) times bit depth. */
  bits: number;
  interlaced: boolean;
  /** The compressed image data, in order. */
  idat: Uint8Array[];
}

/** The IHDR fields and IDAT chunks of a PNG, from a walk over its chunks; a string says what is wrong. */
function pngHeader(b: Uint8Array): PngHeader | string {
  const u32 = (at: number) => b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  const type = (at: number) => String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
  if (b.length < 33 || type(8) !== 'IHDR') return 'no IHDR header';
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[b[25]] ?? 0;
  const header = {
    width: u32(16),
    height: u32(20),
    bits: channels * b[24],
    interlaced: b[28] === 1,
    idat: [] as Uint8Array[],
  };
  for (let at = 8 + 12 + u32(8); at + 8 <= b.length; at += 12 + u32(at)) {
    if (type(at) === 'IHDR') return 'more than one IHDR chunk'; // a second one would replace the first in pngjs
    if (type(at) === 'IDAT') header.idat.push(b.subarray(at + 8, at + 8 + u32(at)));
  }
  return header;
}

/** Adam7: each pass's first column and row, and its steps. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/**
 * pngjs inflates a non-interlaced image into exactly the bytes its size needs, but an interlaced
 * one without any bound: a few kilobytes can inflate to gigabytes. Inflate those here first,
 * stopping one byte past what the seven passes need.
 */
function checkInterlacedInflate(name: string, h: PngHeader): void {
  let need = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((h.width - x0) / dx);
    const rows = Math.ceil((h.height - y0) / dy);
    if (w > 0 && rows > 0) need += rows * (1 + Math.ceil((w * h.bits) / 8));
  }
  try {
    inflateSync(Buffer.concat(h.idat), { maxOutputLength: need + 1 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new DataError(
        `${name}: cannot decode PNG image (its data inflates to more than the ${need} bytes a ${h.width}×${h.height} image needs)`,
      );
    // anything else wrong with the data is for pngjs to report
  }
}

/**
 * Most bytes of comment (COM) segments a JPEG may carry. jpeg-js keeps each one as a JavaScript
 * string, so a file padded with comments would take twice its size; encoders write a few bytes.
 */
export const MAX_JPEG_COMMENT_BYTES = 1024 * 1024;

/**
 * A JPEG's largest frame (SOFn) size and the bytes of its comment segments, from a walk over all
 * its markers, the ones between progressive scans included (entropy-coded bytes are stepped over).
 */
function jpegMarkers(b: Uint8Array): { size?: { width: number; height: number }; comments: number } {
  let size: { width: number; height: number } | undefined;
  let comments = 0;
  let at = 2;
  while (at + 4 <= b.length) {
    const m = b[at + 1];
    if (b[at] !== 0xff)
      at += 1; // entropy-coded data
    else if (m === 0xff)
      at += 1; // fill byte
    else if (m === 0x00 || m === 0x01 || (m >= 0xd0 && m <= 0xd8))
      at += 2; // stuffed 0xff, markers without a length
    else if (m === 0xd9)
      break; // end of image
    else {
      const length = (b[at + 2] << 8) | b[at + 3];
      if (isSof(m) && at + 9 <= b.length) {
        const frame = { height: (b[at + 5] << 8) | b[at + 6], width: (b[at + 7] << 8) | b[at + 8] };
        if (!size || frame.width * frame.height > size.width * size.height) size = frame;
      }
      if (m === 0xfe) comments += length - 2;
      at += 2 + length;
    }
  }
  return { size, comments };
}

/** Refuses an image whose header asks for more than MAX_IMAGE_PIXELS, before any pixel is decoded. */
function checkPixels(name: string, { width, height }: { width: number; height: number }): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new DataError(
      `${name}: the image is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(1)} MP), more than the ${Math.sqrt(MAX_IMAGE_PIXELS)}×${Math.sqrt(MAX_IMAGE_PIXELS)} (${(MAX_IMAGE_PIXELS / 1e6).toFixed(1)} MP) an image may have: scale it down first`,
    );
  }
}

/**
 * Decodes to 8-bit RGBA by content (magic bytes), not by extension, so misnamed files still work
 * or fail clearly; the pixel count is bounded from the headers before anything is decoded.
 */
export function decodeRgba(bytes: Uint8Array, name: string): Rgba {
  const isPng =
    bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new DataError(`${name}: not a PNG or JPEG image`);
  if (isPng) {
    const header = pngHeader(bytes);
    if (typeof header === 'string') throw new DataError(`${name}: cannot decode PNG image (${header})`);
    checkPixels(name, header);
    if (header.interlaced) checkInterlacedInflate(name, header);
  } else {
    const { size, comments } = jpegMarkers(bytes);
    // a frame header this walk misses is still bounded: jpeg-js checks the same limit on every frame
    if (size) checkPixels(name, size);
    if (comments > MAX_JPEG_COMMENT_BYTES)
      throw new DataError(
        `${name}: cannot decode JPEG image (${formatBytes(comments)} of comments, more than ${formatBytes(MAX_JPEG_COMMENT_BYTES)})`,
      );
  }
  try {
    if (isPng) {
      // pngjs expands every bit depth and colour type to 8-bit RGBA
      const png = pngjs().PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: png.width, height: png.height, data: png.data };
    }
    // jpeg-js checks every frame header it meets too (one after the first scan included), and caps its own allocations
    return jpeg().decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 512,
    });
  } catch (e) {
    throw new DataError(`${name}: cannot decode ${isPng ? 'PNG' : 'JPEG'} image (${(e as Error).message})`);
  }
}

/**
 * The standard conversion for every image hypermeta reads: grayscale, polarity normalised
 * so ink = 1 and background = 0, then area-averaged down (or up) to size x size.
 */
export function decodeImage(bytes: Uint8Array, name: string, size: number): Float32Array {
  checkImageSize(size);
  const { width, height, data } = decodeRgba(bytes, name);
  if (width < 1 || height < 1) throw new DataError(`${name}: image has no pixels`);
  return inkImage(data, width, height, size);
}
