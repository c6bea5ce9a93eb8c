import { InvalidArgumentError } from '../errors/errors.js';
import type { Rng } from '../random/rng.js';
import { type UsableArticle, usableArticles, supportSideArticles } from './class-articles.js';
import { buildNeighbours, type Neighbours } from './neighbours.js';
import { snippet } from './snippet.js';
import type { TextClass, TextEpisode, TextEpisodeOptions } from './text-types.js';

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidArgumentError(`text episode: ${name} must be an integer >= ${min}, got ${value}`);
}

/** Refuses options no episode can have (a library error, before any draw). */
export function validateTextEpisodeOptions(options: TextEpisodeOptions): void {
  checkCount('ways', options.ways, 2);
  checkCount('shots', options.shots, 1);
  checkCount('queries', options.queries, 1);
  checkCount('snippet', options.snippet, 0);
}

// Confusable episodes without explicit neighbours reuse the ones built for the same class list.
const defaultNeighbours = new WeakMap<readonly TextClass[], Neighbours>();

function neighboursOf(classes: readonly TextClass[]): Neighbours {
  let nb = defaultNeighbours.get(classes);
  if (!nb) {
    nb = buildNeighbours(classes);
    defaultNeighbours.set(classes, nb);
  }
  return nb;
}

/** An anchor class and its nearest neighbours (same script first); classes the ranking lacks fill up at random. */
function confusableClasses(eligible: TextClass[], ways: number, rng: Rng, nb: Neighbours): TextClass[] {
  const byLabel = new Map(eligible.map((c) => [c.label, c]));
  const anchor = eligible[rng.int(eligible.length)];
  const chosen = [anchor];
  for (const label of nb.ranked.get(anchor.label) ?? []) {
    if (chosen.length === ways) break;
    const c = byLabel.get(label);
    if (c) chosen.push(c);
  }
  if (chosen.length < ways) {
    const rest = eligible.filter((c) => !chosen.includes(c));
    chosen.push(...rng.sample(rest, ways - chosen.length));
  }
  // the anchor must not always be label 0
  return rng.shuffle(chosen);
}

/**
 * Draws `count` examples from the given articles: articles taken in a random order, round
 * robin, a paragraph not yet drawn from each; once every paragraph has been drawn the pool
 * starts over (only tiny classes, or whole-paragraph episodes with many queries, get there).
 */
function drawExamples(articles: UsableArticle[], count: number, length: number, rng: Rng): string[] {
  const order = rng.shuffle(articles);
  const left = order.map((a) => a.paragraphs.map((_, i) => i));
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    const a = k % order.length;
    if (a === 0 && left.every((l) => l.length === 0))
      order.forEach((o, i) => (left[i] = o.paragraphs.map((_, j) => j)));
    if (!left[a].length) continue;
    const [p] = left[a].splice(rng.int(left[a].length), 1);
    out.push(snippet(order[a].paragraphs[p], length, rng));
  }
  return out;
}

/**
 * One N-way K-shot episode. A class's support and query examples come from different articles:
 * normally a random half of its articles is the support side and the other half the query side;
 * in the confusable mode the sides are fixed (supportSideArticles) so that the neighbour
 * profiles, computed from support sides only, never saw a query. Labels are class-major indices
 * into `classes`; the same Rng state gives the same episode.
 */
export function sampleTextEpisode(
  classes: readonly TextClass[],
  options: TextEpisodeOptions,
  rng: Rng,
  neighbours?: Neighbours,
): TextEpisode {
  validateTextEpisodeOptions(options);
  const { ways, shots, queries } = options;
  // a class needs one article for support and another for queries
  const eligible = classes.filter((c) => usableArticles(c).length >= 2);
  if (ways > eligible.length) {
    throw new InvalidArgumentError(
      `text episode: ${ways}-way needs ${ways} classes with text in 2 or more articles, found ${eligible.length}`,
    );
  }
  const nb = options.confusable ? (neighbours ?? neighboursOf(classes)) : undefined;
  const chosen = nb ? confusableClasses(eligible, ways, rng, nb) : rng.sample(eligible, ways);
  const episode: TextEpisode = {
    classes: chosen.map((c) => c.label),
    supportTexts: [],
    supportLabels: [],
    queryTexts: [],
    queryLabels: [],
  };
  chosen.forEach((cls, label) => {
    const usable = usableArticles(cls);
    let supportSide: UsableArticle[];
    let querySide: UsableArticle[];
    if (nb) {
      const side = new Set(nb.supportArticles.get(cls.label) ?? supportSideArticles(cls));
      supportSide = usable.filter((a) => side.has(a.index));
      querySide = usable.filter((a) => !side.has(a.index));
    } else {
      const shuffled = rng.shuffle(usable);
      const half = Math.floor(shuffled.length / 2);
      supportSide = shuffled.slice(0, half);
      querySide = shuffled.slice(half);
    }
    if (!supportSide.length || !querySide.length)
      throw new InvalidArgumentError(`text episode: class ${cls.label} has no articles on one side`);
    for (const t of drawExamples(supportSide, shots, options.snippet, rng)) {
      episode.supportTexts.push(t);
      episode.supportLabels.push(label);
    }
    for (const t of drawExamples(querySide, queries, options.snippet, rng)) {
      episode.queryTexts.push(t);
      episode.queryLabels.push(label);
    }
  });
  return episode;
}
