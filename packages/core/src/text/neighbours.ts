import { InvalidArgumentError } from '../errors/errors.js';
import { usableArticles, supportSideArticles } from './class-articles.js';
import { cosine, ngramProfile, type Profile } from './ngram-profile.js';
import type { TextClass } from './text-types.js';

/** Which classes are confusable with which, for episodes of neighbouring languages. */
export interface Neighbours {
  /**
   * label -> every other label of the classes it was built from, nearest first: classes of the
   * same script before the others, each group by decreasing similarity of n-gram profiles.
   */
  readonly ranked: ReadonlyMap<string, readonly string[]>;
  /** label -> the article indices its profile was computed from (confusable episodes' support side). */
  readonly supportArticles: ReadonlyMap<string, readonly number[]>;
}

/**
 * Profiles keep each class's most frequent trigrams only: the long tail of rare trigrams says
 * little about which languages resemble each other and would make the all-pairs step slow.
 */
export const NEIGHBOUR_PROFILE_SIZE = 400;

/**
 * Ranks the classes' neighbours by the cosine similarity of their character-trigram profiles,
 * computed from each class's support-side articles only (see supportSideArticles).
 */
export function buildNeighbours(classes: readonly TextClass[]): Neighbours {
  const labels = new Set<string>();
  for (const c of classes) {
    if (labels.has(c.label)) throw new InvalidArgumentError(`two text classes share the label ${c.label}`);
    labels.add(c.label);
  }
  const supportArticles = new Map<string, number[]>();
  const profiles: Profile[] = classes.map((c) => {
    const side = supportSideArticles(c);
    supportArticles.set(c.label, side);
    const byIndex = new Map(usableArticles(c).map((a) => [a.index, a.paragraphs]));
    return ngramProfile(
      side.flatMap((i) => byIndex.get(i)!),
      3,
      NEIGHBOUR_PROFILE_SIZE,
    );
  });
  const n = classes.length;
  const sim = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sim[i][j] = sim[j][i] = cosine(profiles[i], profiles[j]);
  }
  const ranked = new Map<string, string[]>();
  classes.forEach((c, i) => {
    const others = classes.map((_, j) => j).filter((j) => j !== i);
    others.sort((a, b) => {
      const sa = classes[a].script === c.script ? 0 : 1;
      const sb = classes[b].script === c.script ? 0 : 1;
      return sa - sb || sim[i][b] - sim[i][a] || (classes[a].label < classes[b].label ? -1 : 1);
    });
    ranked.set(
      c.label,
      others.map((j) => classes[j].label),
    );
  });
  return { ranked, supportArticles };
}
