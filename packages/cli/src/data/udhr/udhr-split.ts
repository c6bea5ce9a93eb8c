/**
 * The minimum number of `<article>` elements a declaration needs for its language to be a class:
 * shorter declarations are fragments that cannot give support and queries from many articles.
 */
export const MIN_ARTICLES = 30;

/** Plain code-point order (not the locale's): the split must not depend on where it runs. */
export function codePointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The fixed split of the language-identification classes: the ISO 639-3 codes with at least one
 * declaration of MIN_ARTICLES articles or more, sorted by code point; every fourth (positions 3,
 * 7, 11… from 0) is held out for evaluation, the others are training's.
 */
export function udhrSplit(declarations: readonly { iso6393: string; articleCount: number }[]): {
  train: string[];
  heldOut: string[];
} {
  const codes = [
    ...new Set(declarations.filter((d) => d.articleCount >= MIN_ARTICLES).map((d) => d.iso6393)),
  ].sort(codePointCompare);
  return {
    train: codes.filter((_, i) => i % 4 !== 3),
    heldOut: codes.filter((_, i) => i % 4 === 3),
  };
}
