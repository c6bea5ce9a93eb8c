import { buildImageSet, type ImageSet, type ImageItem } from '../data/image-set.js';
import { Rng } from '../random/rng.js';

/**
 * Synthetic 28×28 "characters" for few-shot tests: `classes` classes of one alphabet, `perClass`
 * random binary drawings each, class c inked with probability 0.1 + 0.05·c (so they differ).
 */
export function syntheticCharacters(seed: number, classes = 5, perClass = 4): ImageSet {
  const rng = Rng.fromSeed(seed, 'images');
  const items: ImageItem[] = [];
  for (let c = 0; c < classes; c++)
    for (let k = 0; k < perClass; k++)
      items.push({
        alphabet: 'a',
        character: `c${c}`,
        key: `${k}`,
        pixels: rng.fill(28 * 28, (r) => (r.uniform() < 0.1 + 0.05 * c ? 1 : 0)),
      });
  return buildImageSet(28, items);
}
