import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../cli/src/data/image-decode.js';
import { inkImage } from '@hypermeta/core';

/** A white 60×50 canvas with a black bar and a half-transparent grey blob, as the pad would hold. */
function drawing(): { data: Uint8Array; width: number; height: number } {
  const [width, height] = [60, 50];
  const data = new Uint8Array(width * height * 4).fill(255);
  for (let y = 5; y < 45; y++) for (let x = 20; x < 27; x++) data.set([0, 0, 0, 255], (y * width + x) * 4);
  for (let y = 30; y < 40; y++)
    for (let x = 40; x < 52; x++) data.set([90, 90, 90, 128], (y * width + x) * 4);
  return { data, width, height };
}

describe('drawing → 28×28 ink image', () => {
  // The pad and the CLI share core's inkImage; this checks the pad's pixels reach it as a PNG file's would.
  it('matches the CLI conversion of the same pixels saved as PNG', () => {
    const d = drawing();
    const png = new pngjs.PNG({ width: d.width, height: d.height });
    png.data = Buffer.from(d.data);
    const fromCli = decodeImage(new Uint8Array(pngjs.PNG.sync.write(png)), 'pad.png', 28);
    const fromPad = inkImage(d.data, d.width, d.height, 28);
    expect(fromPad).toHaveLength(28 * 28);
    expect(Array.from(fromPad)).toEqual(Array.from(fromCli));
    // ink = 1 on the bar, background = 0 at the corner
    expect(fromPad[14 * 28 + 11]).toBeCloseTo(1, 5);
    expect(fromPad[0]).toBe(0);
  });
});
