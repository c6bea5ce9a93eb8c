import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildImageSet, DataError, type ImageItem } from '@hypermeta/core';
import { decodeRgba } from '../image-decode.js';
import { cachedSet, fileStamp, recipeStamp } from './cached-set.js';
import { fitInkBox } from './ink-box.js';
import type { DomainContext, DomainData, DomainLoader } from './registry.js';

/**
 * The vendors whose artwork may be redistributed: Google's Noto Emoji (Apache-2.0) and Twitter's
 * Twemoji (CC-BY 4.0, attribution in docs/DOMAINS.md). Apple's and Facebook's are not licensed so.
 */
export const EMOJI_VENDORS = ['google', 'twitter'] as const;

/** Country flags are stripes at 28 px in gray; the skin-tone swatches are not pictures of a thing. */
const LEFT_OUT = new Set(['Flags', 'Component']);

interface EmojiEntry {
  unified: string;
  image: string;
  category: string;
  has_img_google?: boolean;
  has_img_twitter?: boolean;
}

function packageRoot(vendor: string): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`emoji-datasource-${vendor}/package.json`));
}

/** The emoji both vendors draw, from the Google package's emoji.json (both packages list the same emoji). */
function entries(): EmojiEntry[] {
  const file = join(packageRoot('google'), 'emoji.json');
  let list: EmojiEntry[];
  try {
    list = JSON.parse(readFileSync(file, 'utf8')) as EmojiEntry[];
  } catch (e) {
    throw new DataError(`cannot read ${file} (${(e as Error).message})`);
  }
  return list
    .filter((e) => !LEFT_OUT.has(e.category) && e.has_img_google && e.has_img_twitter)
    .sort((a, b) => (a.unified < b.unified ? -1 : 1));
}

/**
 * Emoji as classes, each drawn by the two vendors (its two examples): 64-pixel PNGs from
 * emoji-datasource-google and -twitter 16.0.0, grouped by category, fitted to Omniglot's ink box
 * (darker colours count as more ink).
 */
async function load(ctx: DomainContext): Promise<DomainData> {
  const roots = EMOJI_VENDORS.map(packageRoot);
  const stamps = [
    ...roots.map((r) => fileStamp(join(r, 'emoji.json'))),
    ...roots.map((r) => fileStamp(join(r, 'package.json'))),
    recipeStamp({ domain: 'emoji', version: 1, leftOut: [...LEFT_OUT] }),
  ];
  const set = await cachedSet(ctx, 'emoji', stamps, () => {
    const items: ImageItem[] = [];
    for (const e of entries()) {
      EMOJI_VENDORS.forEach((vendor, v) => {
        const file = join(roots[v], 'img', vendor, '64', e.image);
        const { width, height, data } = decodeRgba(readFileSync(file), file);
        items.push({
          alphabet: e.category,
          character: e.unified,
          key: vendor,
          pixels: fitInkBox(data, width, height, ctx.size),
        });
      });
    }
    return buildImageSet(ctx.size, items);
  });
  return { train: set, test: set, withinGroup: false };
}

export const emojiDomain: DomainLoader = {
  name: 'emoji',
  summary:
    'emoji as classes, drawn by Google (Noto, Apache-2.0) and Twitter (Twemoji, CC-BY 4.0): 2 examples each',
  takesPath: false,
  load,
};
