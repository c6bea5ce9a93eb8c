/**
 * Character n-gram profiles: sparse frequency vectors over the n-character sequences of a text,
 * compared by cosine similarity. Each text is padded with one space on both sides so the first
 * and last letters of a paragraph count as word edges, as inner words' edges do.
 */
export interface Profile {
  /** n-gram -> weight; absent n-grams weigh 0. */
  readonly weights: ReadonlyMap<string, number>;
  /** Euclidean norm of the weights (0 for an empty profile). */
  readonly norm: number;
}

function normOf(weights: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const w of weights.values()) s += w * w;
  return Math.sqrt(s);
}

/** Adds the n-grams of one text (by code point) to `counts`. */
export function addNgrams(text: string, n: number, counts: Map<string, number>): void {
  const cps = Array.from(` ${text} `);
  for (let i = 0; i + n <= cps.length; i++) {
    let g = cps[i];
    for (let k = 1; k < n; k++) g += cps[i + k];
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
}

/**
 * The n-gram counts of one or more texts; with `top`, only the `top` most frequent n-grams
 * (ties broken by code-point order, so the profile does not depend on insertion order).
 */
export function ngramProfile(texts: string | readonly string[], n = 3, top = Infinity): Profile {
  const counts = new Map<string, number>();
  for (const t of typeof texts === 'string' ? [texts] : texts) addNgrams(t, n, counts);
  if (counts.size <= top) return { weights: counts, norm: normOf(counts) };
  const kept = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, top);
  const weights = new Map(kept);
  return { weights, norm: normOf(weights) };
}

/** Cosine similarity of two profiles; 0 when either is empty. */
export function cosine(a: Profile, b: Profile): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [g, w] of small.weights) {
    const v = large.weights.get(g);
    if (v !== undefined) dot += w * v;
  }
  return dot / (a.norm * b.norm);
}

/**
 * The mean of profiles each scaled to unit length first, so a long example does not outweigh
 * a short one in a class prototype.
 */
export function meanProfile(profiles: readonly Profile[]): Profile {
  const sum = new Map<string, number>();
  for (const p of profiles) {
    if (p.norm === 0) continue;
    const scale = 1 / (p.norm * profiles.length);
    for (const [g, w] of p.weights) sum.set(g, (sum.get(g) ?? 0) + w * scale);
  }
  return { weights: sum, norm: normOf(sum) };
}
