import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { buildImageSet, DataError, type ImageItem } from '@hypermeta/core';
import { cachedSet, fileStamp, recipeStamp } from './cached-set.js';
import { fitInkBox } from './ink-box.js';
import type { DomainContext, DomainData, DomainLoader } from './registry.js';

/** Where Debian's fonts-noto-core puts its fonts (HYPERMETA_NOTO_DIR overrides it). */
export const NOTO_DIR = '/usr/share/fonts/truetype/noto';

/**
 * Scripts none of Omniglot's 50 alphabets writes (Omniglot has Bengali, Gujarati, Gurmukhi,
 * Kannada, Malayalam, Oriya, Tibetan, Burmese, Ge'ez and two Georgian scripts, so those are left
 * out), each with the Noto fonts that draw it. Classes are the script's letters (Unicode category
 * L: consonants and independent vowels, no combining marks; Cherokee: its capitals only, the small
 * letters being the same shapes).
 */
export const SCRIPTS: { name: string; letters: RegExp; fonts: string[] }[] = [
  { name: 'Thai', letters: /^\p{Script=Thai}$/u, fonts: ['NotoSansThai', 'NotoSerifThai', 'NotoLoopedThai'] },
  { name: 'Lao', letters: /^\p{Script=Lao}$/u, fonts: ['NotoSansLao', 'NotoSerifLao', 'NotoLoopedLao'] },
  { name: 'Khmer', letters: /^\p{Script=Khmer}$/u, fonts: ['NotoSansKhmer', 'NotoSerifKhmer'] },
  { name: 'Sinhala', letters: /^\p{Script=Sinhala}$/u, fonts: ['NotoSansSinhala', 'NotoSerifSinhala'] },
  {
    name: 'Tamil',
    letters: /^\p{Script=Tamil}$/u,
    fonts: ['NotoSansTamil', 'NotoSerifTamil', 'NotoSerifTamilSlanted'],
  },
  { name: 'Telugu', letters: /^\p{Script=Telugu}$/u, fonts: ['NotoSansTelugu', 'NotoSerifTelugu'] },
  { name: 'Cherokee', letters: /^\p{Lu}$/u, fonts: ['NotoSansCherokee'] },
];

/** Code point ranges of the scripts' Unicode blocks. */
const BLOCKS: Record<string, [number, number]> = {
  Thai: [0x0e00, 0x0e7f],
  Lao: [0x0e80, 0x0eff],
  Khmer: [0x1780, 0x17ff],
  Sinhala: [0x0d80, 0x0dff],
  Tamil: [0x0b80, 0x0bff],
  Telugu: [0x0c00, 0x0c7f],
  Cherokee: [0x13a0, 0x13ff],
};

/** Each font file in three stroke weights: thinned, as drawn, thickened (outline width at 96 px). */
const WEIGHTS = [-3, 0, 4];
const FONT_PX = 96;
/** A private-use code point: no font here draws it. */
const NO_GLYPH = '\uE000';

/** One glyph, black on white, in the middle of the canvas; outlined to change its stroke weight. */
function drawGlyph(g: SKRSContext2D, ch: string, alias: string, weight: number): Uint8ClampedArray {
  g.fillStyle = 'white';
  g.fillRect(0, 0, CANVAS, CANVAS);
  g.font = `${FONT_PX}px "${alias}"`;
  g.fillStyle = 'black';
  g.fillText(ch, CANVAS / 2, CANVAS / 2);
  if (weight !== 0) {
    // Outlining the glyph in ink thickens its strokes; in paper colour, thins them.
    g.strokeStyle = weight > 0 ? 'black' : 'white';
    g.lineWidth = Math.abs(weight);
    g.strokeText(ch, CANVAS / 2, CANVAS / 2);
  }
  return g.getImageData(0, 0, CANVAS, CANVAS).data;
}

function sameImage(a: Uint8ClampedArray, b: Uint8ClampedArray): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
const CANVAS = 224;

/** The letters of a script: assigned letters (category L) of its block that match its rule. */
export function scriptLetters(script: (typeof SCRIPTS)[number]): string[] {
  const [lo, hi] = BLOCKS[script.name];
  const out: string[] = [];
  for (let cp = lo; cp <= hi; cp++) {
    const ch = String.fromCodePoint(cp);
    if (/^\p{L}$/u.test(ch) && script.letters.test(ch)) out.push(ch);
  }
  return out;
}

/** The font files (Regular and Bold) found for a font family name. */
function fontFiles(dir: string, family: string): string[] {
  return ['Regular', 'Bold'].map((w) => join(dir, `${family}-${w}.ttf`)).filter((f) => existsSync(f));
}

async function load(ctx: DomainContext): Promise<DomainData> {
  const dir = process.env.HYPERMETA_NOTO_DIR ?? NOTO_DIR;
  const files = SCRIPTS.flatMap((s) => s.fonts.flatMap((f) => fontFiles(dir, f)));
  if (files.length === 0)
    throw new DataError(
      `no Noto fonts in ${dir}: install Debian's fonts-noto-core (apt-get install fonts-noto-core) or set HYPERMETA_NOTO_DIR`,
    );
  const recipe = {
    domain: 'scripts',
    version: 2,
    weights: WEIGHTS,
    px: FONT_PX,
    scripts: SCRIPTS.map((s) => s.name),
  };
  const set = await cachedSet(ctx, 'scripts', [...files.map(fileStamp), recipeStamp(recipe)], () =>
    render(ctx, dir),
  );
  return { train: set, test: set, withinGroup: true };
}

/**
 * Draws every letter of every script in each of its fonts and weights: one drawer each. The canvas
 * library is loaded here, not when the command line starts (most runs never draw a letter).
 */
async function render(ctx: DomainContext, dir: string) {
  const { createCanvas, GlobalFonts } = await import('@napi-rs/canvas');
  const canvas = createCanvas(CANVAS, CANVAS);
  const g = canvas.getContext('2d');
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.lineJoin = 'round';
  const items: ImageItem[] = [];
  for (const script of SCRIPTS) {
    const letters = scriptLetters(script);
    for (const family of script.fonts) {
      for (const file of fontFiles(dir, family)) {
        const alias = `hypermeta-${file.replace(/^.*\//, '').replace(/\.ttf$/, '')}`;
        if (!GlobalFonts.registerFromPath(file, alias)) throw new DataError(`cannot load the font ${file}`);
        for (const weight of WEIGHTS) {
          const drawer = `${alias.slice(10)}${weight === 0 ? '' : weight < 0 ? '-thin' : '-heavy'}`;
          // What the font draws for a code point it lacks (a box): letters drawn so are left out.
          const missing = drawGlyph(g, NO_GLYPH, alias, weight);
          for (const ch of letters) {
            const px = drawGlyph(g, ch, alias, weight);
            if (sameImage(px, missing)) continue;
            const character = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
            const pixels = fitInkBox(px, CANVAS, CANVAS, ctx.size);
            // A letter the font cannot draw (and no fallback can) leaves the canvas blank: no drawer then.
            if (pixels.some((v) => v > 0))
              items.push({ alphabet: script.name, character, key: drawer, pixels });
          }
        }
      }
    }
  }
  ctx.log(`rendered ${items.length} glyphs`);
  return buildImageSet(ctx.size, items);
}

export const scriptsDomain: DomainLoader = {
  name: 'scripts',
  summary:
    'printed letters of 7 scripts Omniglot lacks, from Noto fonts (fonts-noto-core): fonts × weights as drawers',
  takesPath: false,
  load,
};
