import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError, inkImage, InvalidArgumentError } from '@hypermeta/core';

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

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes by content (magic bytes), not by extension, so misnamed files still work or fail clearly. */
function decodeRgba(bytes: Uint8Array, name: string): Rgba {
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new DataError(`${name}: not a PNG or JPEG image`);
  try {
    if (isPng) {
      // pngjs expands every bit depth and colour type to 8-bit RGBA
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: png.width, height: png.height, data: png.data };
    }
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 50, maxMemoryUsageInMB: 512 });
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

