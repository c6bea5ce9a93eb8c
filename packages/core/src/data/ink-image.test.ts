import { describe, expect, it } from 'vitest';
import { inkImage } from './ink-image.js';

/** An RGBA image of the given gray levels (0–255), fully opaque unless `alpha` says otherwise. */
function rgba(levels: number[], alpha = 255): Uint8Array {
  return Uint8Array.from(levels.flatMap((v) => [v, v, v, alpha]));
}

describe('inkImage', () => {
  // a 4×4 image: background everywhere, one ink pixel at (1, 2)
  const picture = (bg: number, ink: number) => Array.from({ length: 16 }, (_, i) => (i === 6 ? ink : bg));

  it('gives ink = 1 on background 0 whatever the polarity of the source', () => {
    const darkOnWhite = inkImage(rgba(picture(255, 0)), 4, 4, 4);
    const lightOnBlack = inkImage(rgba(picture(0, 255)), 4, 4, 4);
    expect(Array.from(darkOnWhite)).toEqual(Array.from(lightOnBlack));
    expect(darkOnWhite[6]).toBe(1);
    expect(darkOnWhite.reduce((a, v) => a + v, 0)).toBe(1);
  });

  it('composites transparent pixels onto white (a transparent canvas is background)', () => {
    const img = inkImage(
      rgba(picture(0, 0), 0).map((v, i) => (i === 6 * 4 + 3 ? 255 : v)),
      4,
      4,
      4,
    );
    expect(img[6]).toBe(1);
    expect(img.reduce((a, v) => a + v, 0)).toBe(1);
  });

  it('averages areas when shrinking: one ink pixel of four becomes 0.25', () => {
    const img = inkImage(rgba(picture(255, 0)), 4, 4, 2);
    expect(Array.from(img)).toEqual([0, 0.25, 0, 0]);
  });
});
