import type { Rng } from '../../random/rng.js';
import { sampleTextEpisode } from '../../text/episodes.js';
import type { Neighbours } from '../../text/neighbours.js';
import { snippet } from '../../text/snippet.js';
import type { TextClass, TextEpisode, TextEpisodeOptions } from '../../text/text-types.js';

/** Episode options with the support side's example length apart from the queries'. */
export interface LanguageEpisodeOptions extends TextEpisodeOptions {
  /** Characters per support example (0: whole paragraphs); `snippet` is the queries'. */
  supportSnippet: number;
}

/**
 * One episode whose support and query examples are cut to their own lengths: drawn as whole
 * paragraphs (support and queries from different articles, as sampleTextEpisode draws them), then
 * each side cut by `snippet`. The product's reference protocol is a whole paragraph of support per
 * language against 30-character queries (docs/LANGUAGE-DATA.md measures the baseline both ways).
 */
export function drawLanguageEpisode(
  classes: readonly TextClass[],
  o: LanguageEpisodeOptions,
  rng: Rng,
  neighbours?: Neighbours,
): TextEpisode {
  const { supportSnippet, ...rest } = o;
  const e = sampleTextEpisode(classes, { ...rest, snippet: 0 }, rng, neighbours);
  const cut = (texts: string[], n: number) => (n > 0 ? texts.map((t) => snippet(t, n, rng)) : texts);
  return {
    ...e,
    supportTexts: cut(e.supportTexts, supportSnippet),
    queryTexts: cut(e.queryTexts, o.snippet),
  };
}
