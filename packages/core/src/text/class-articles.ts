import type { TextClass } from './text-types.js';

/** One article of a class that has text: its index in `TextClass.articles` and its non-empty paragraphs. */
export interface UsableArticle {
  index: number;
  paragraphs: string[];
}

// Classes are sampled thousands of times per run; their usable articles are worked out once.
const usableCache = new WeakMap<TextClass, UsableArticle[]>();

/** A class's articles that hold at least one non-empty paragraph, in article order. */
export function usableArticles(cls: TextClass): UsableArticle[] {
  let out = usableCache.get(cls);
  if (!out) {
    out = [];
    cls.articles.forEach((paragraphs, index) => {
      const kept = paragraphs.filter((p) => p.length > 0);
      if (kept.length) out!.push({ index, paragraphs: kept });
    });
    usableCache.set(cls, out);
  }
  return out;
}

/**
 * The fixed support side of a class: its usable articles at even positions (the 1st, 3rd, 5th…).
 * Neighbour profiles are computed from these alone and confusable episodes draw support examples
 * here and queries from the others, so no query text ever shapes the choice of an episode's classes.
 */
export function supportSideArticles(cls: TextClass): number[] {
  return usableArticles(cls)
    .filter((_, i) => i % 2 === 0)
    .map((a) => a.index);
}
