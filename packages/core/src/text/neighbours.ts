import { InvalidArgumentError } from '../errors/errors.js';
import { usableArticles, supportSideArticles } from './class-articles.js';
import { ngramProfile, type Profile } from './ngram-profile.js';
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
 * All pairwise cosine similarities. Each profile becomes a list of n-gram ids in increasing order
 * with unit-length weights, so a pair is one merge of two sorted arrays instead of map look-ups
 * (330 training classes make 54,000 pairs).
 */
function similarities(profiles: readonly Profile[]): Float64Array[] {
  const ids = new Map<string, number>();
  const vectors = profiles.map((p) => {
    const entries = [...p.weights].map(([g, w]) => {
      let id = ids.get(g);
      if (id === undefined) ids.set(g, (id = ids.size));
      return [id, p.norm ? w / p.norm : 0] as const;
    });
    entries.sort((a, b) => a[0] - b[0]);
    return { ids: Int32Array.from(entries, (e) => e[0]), w: Float64Array.from(entries, (e) => e[1]) };
  });
  const n = profiles.length;
  const sim = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const a = vectors[i];
    for (let j = i + 1; j < n; j++) {
      const b = vectors[j];
      let dot = 0;
      for (let x = 0, y = 0; x < a.ids.length && y < b.ids.length;) {
        if (a.ids[x] === b.ids[y]) dot += a.w[x++] * b.w[y++];
        else if (a.ids[x] < b.ids[y]) x++;
        else y++;
      }
      sim[i][j] = sim[j][i] = dot;
    }
  }
  return sim;
}

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
  const sim = similarities(profiles);
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
