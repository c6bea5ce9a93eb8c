import { Rng } from '../../random/rng.js';
import type { TextClass, TextCorpus } from '../../text/text-types.js';
import { defaultLanguageConfig, type LanguageConfig } from './language-config.js';

const SCRIPTS: [string, number][] = [
  ['Latn', 0x61],
  ['Cyrl', 0x430],
  ['Grek', 0x3b1],
];

/**
 * Synthetic "languages" for tests: class c writes words from its own small syllable inventory
 * in one of three scripts, `articles` articles of two short paragraphs each.
 */
export function syntheticLanguages(seed: number, classes = 6, articles = 3, prefix = 'l'): TextClass[] {
  const rng = Rng.fromSeed(seed, 'languages');
  return Array.from({ length: classes }, (_, c) => {
    const [script, base] = SCRIPTS[c % SCRIPTS.length];
    const letter = () => String.fromCodePoint(base + rng.int(20));
    const syllables = Array.from({ length: 6 }, () => letter() + letter());
    const word = () => Array.from({ length: 1 + rng.int(3) }, () => syllables[rng.int(6)]).join('');
    const paragraph = () => Array.from({ length: 12 }, word).join(' ');
    return {
      label: `${prefix}${c}`,
      name: `Language ${c}`,
      script,
      articles: Array.from({ length: articles }, () => [paragraph(), paragraph()]),
    };
  });
}

/** A small synthetic corpus: `train` training languages and `heldOut` others. */
export function syntheticCorpus(seed: number, train = 6, heldOut = 5): TextCorpus {
  return {
    train: syntheticLanguages(seed, train, 3, 't'),
    heldOut: syntheticLanguages(seed + 1, heldOut, 3, 'h'),
  };
}

/** The default hypernet config at a size tests train in milliseconds (3-way, 20-character queries). */
export function smallHypernetConfig(): LanguageConfig {
  const c = defaultLanguageConfig('hypernet');
  return {
    ...c,
    encoder: { ...c.encoder, buckets: 256, gramDim: 8, byteDim: 4, hidden: [16], width: 8, sketch: 16 },
    generatorHidden: [8],
    attentionDim: 4,
    trainWays: 3,
    snippet: 20,
  };
}
