import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { decodeImage } from './image-decode.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function ihdr(width: number, height: number, bitDepth = 1): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = bitDepth; // grayscale (colour type 0), no interlace
  return chunk('IHDR', d);
}

/** A valid 1-bit grayscale PNG, all black, of any size: its compressed body stays small. */
function blackPng(width: number, height: number, extra: Buffer[] = []): Uint8Array {
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    sig,
    ihdr(width, height),
    ...extra,
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG's first bytes up to its frame header: enough for a decoder to learn the size. */
function jpegHeader(width: number, height: number): Uint8Array {
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ];
  const sof = [
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x01,
    0x01,
    0x11,
    0x00,
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof, 0xff, 0xd9]);
}

describe('decodeImage reads the pixel count from the header before decoding', () => {
  it('refuses a PNG whose IHDR asks for 65535 x 65535 pixels', () => {
    expect(() =>
      decodeImage(
        blackPng(2, 2)
          .slice(0, 8 + 25)
          .fill(0xff, 16, 24),
        'huge.png',
        28,
      ),
    ).toThrow(/^huge\.png: the image is 4294967295×4294967295 pixels/);
    const huge = Buffer.concat([
      Buffer.from(blackPng(2, 2)).subarray(0, 8),
      ihdr(65535, 65535),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(() => decodeImage(huge, 'huge.png', 28)).toThrow(DataError);
    expect(() => decodeImage(huge, 'huge.png', 28)).toThrow(
      'huge.png: the image is 65535×65535 pixels (4294.8 MP), more than the 4096×4096 (16.8 MP) an image may have: scale it down first',
    );
  });

  it('refuses a valid 5000 x 5000 PNG (25 MP) without decoding it', () => {
    const png = blackPng(5000, 5000);
    expect(png.length).toBeLessThan(100_000);
    expect(() => decodeImage(png, 'scan.png', 28)).toThrow(
      /scan\.png: the image is 5000×5000 pixels \(25\.0 MP\)/,
    );
  });

  it('refuses a PNG with a second IHDR (pngjs would take its size instead of the first)', () => {
    const png = blackPng(2, 2, [ihdr(20000, 20000)]);
    expect(() => decodeImage(png, 'two-headers.png', 28)).toThrow(
      /^two-headers\.png: cannot decode PNG image \(more than one IHDR chunk\)$/,
    );
  });

  it('stops inflating an interlaced PNG at the bytes its size needs (pngjs bounds only non-interlaced ones)', () => {
    /** A 16 x 16 8-bit grayscale Adam7 PNG whose image data is `raw` (286 bytes for the 7 passes). */
    const interlaced = (raw: Buffer) => {
      const head = ihdr(16, 16, 8);
      head[8 + 12] = 1; // interlace method: Adam7
      head.writeUInt32BE(crc32(head.subarray(4, 8 + 13)), 8 + 13);
      const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      return Buffer.concat([sig, head, chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
    };
    const bomb = interlaced(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodeImage(bomb, 'bomb.png', 28)).toThrow(
      /^bomb\.png: cannot decode PNG image \(its data inflates to more than the 286 bytes a 16×16 image needs\)$/,
    );
    expect([...decodeImage(interlaced(Buffer.alloc(286)), 'adam7.png', 2)]).toEqual([0, 0, 0, 0]);
  });

  it('refuses a JPEG whose frame header asks for too many pixels', () => {
    expect(() => decodeImage(jpegHeader(30000, 30000), 'huge.jpg', 28)).toThrow(
      /^huge\.jpg: the image is 30000×30000 pixels \(900\.0 MP\)/,
    );
    expect(() => decodeImage(jpegHeader(5000, 5000), 'photo.jpg', 28)).toThrow(
      /^photo\.jpg: the image is 5000×5000 pixels \(25\.0 MP\)/,
    );
  });

  it('refuses a JPEG padded with more than 1 MiB of comments, before or after its scan', () => {
    const rgba = Buffer.alloc(8 * 8 * 4, 255);
    const jpg = Buffer.from(jpeg.encode({ data: rgba, width: 8, height: 8 }, 90).data);
    const comment = (n: number) =>
      Buffer.concat([Buffer.from([0xff, 0xfe, (n + 2) >> 8, (n + 2) & 0xff]), Buffer.alloc(n, 0x41)]);
    const comments = (count: number) => Buffer.concat(Array.from({ length: count }, () => comment(65000)));
    const before = Buffer.concat([jpg.subarray(0, 2), comments(17), jpg.subarray(2)]);
    const after = Buffer.concat([
      jpg.subarray(0, jpg.length - 2),
      comments(17),
      jpg.subarray(jpg.length - 2),
    ]);
    for (const [name, bytes] of [
      ['before.jpg', before],
      ['after.jpg', after],
    ] as const) {
      expect(() => decodeImage(bytes, name, 2)).toThrow(
        new RegExp(
          `^${name.replace('.', '\\.')}: cannot decode JPEG image \\(1\\.1 MiB of comments, more than 1 MiB\\)$`,
        ),
      );
    }
    expect(
      decodeImage(Buffer.concat([jpg.subarray(0, 2), comments(1), jpg.subarray(2)]), 'commented.jpg', 2),
    ).toHaveLength(4);
  });

  it('decodes an image of exactly 4096 x 4096 pixels, and small PNGs and JPEGs as before', () => {
    expect([...decodeImage(blackPng(4096, 4096), 'limit.png', 2)]).toEqual([0, 0, 0, 0]);
    const p = new pngjs.PNG({ width: 4, height: 4 });
    p.data.fill(255);
    for (const i of [0, 1, 4]) p.data.set([0, 0, 0, 255], i * 4);
    expect([...decodeImage(pngjs.PNG.sync.write(p), 'tiny.png', 2)]).toEqual([0.75, 0, 0, 0]);
    const rgba = Buffer.alloc(16 * 16 * 4, 255);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) rgba.fill(0, (y * 16 + x) * 4, (y * 16 + x) * 4 + 3);
    const jpg = jpeg.encode({ data: rgba, width: 16, height: 16 }, 100).data;
    const px = decodeImage(jpg, 'tiny.jpg', 2);
    expect(px[0]).toBeGreaterThan(0.9);
    expect(px[3]).toBeLessThan(0.1);
  });

  it('names a PNG without a header', () => {
    expect(() =>
      decodeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0]), 'broken.png', 28),
    ).toThrow(/^broken\.png: cannot decode PNG image/);
  });
});
