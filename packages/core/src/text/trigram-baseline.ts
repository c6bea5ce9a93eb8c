import { InvalidArgumentError } from '../errors/errors.js';
import { meanProfile, ngramProfile, type Profile } from './ngram-profile.js';
import { supportByClass } from './char-lm.js';
import type { TextEpisode } from './text-types.js';

/** Class prototypes: the mean of each class's support profiles (each scaled to unit length first). */
function prototypesOf(episode: TextEpisode): Profile[] {
  if (episode.supportTexts.length !== episode.supportLabels.length)
    throw new InvalidArgumentError('episode: support texts and labels differ in number');
  return supportByClass(episode).map((texts, c) => {
    if (!texts.length) throw new InvalidArgumentError(`episode: class ${episode.classes[c]} has no support`);
    return meanProfile(texts.map((t) => ngramProfile(t)));
  });
}

/**
 * The no-training baseline: each query goes to the class whose prototype (the mean of its
 * support examples' character-trigram profiles) is nearest by cosine similarity. Returns the
 * predicted class index of every query; ties go to the lower index.
 */
export function trigramBaseline(episode: TextEpisode): number[] {
  const prototypes = prototypesOf(episode);
  const ways = prototypes.length;
  // The prototypes, unit length, as one dense trigram-major table: a query's scores for every
  // class are then one pass over its own trigrams (100-way episodes score 500 queries each).
  const ids = new Map<string, number>();
  for (const p of prototypes) for (const g of p.weights.keys()) if (!ids.has(g)) ids.set(g, ids.size);
  const table = new Float64Array(ids.size * ways);
  prototypes.forEach((p, c) => {
    if (p.norm === 0) return;
    for (const [g, w] of p.weights) table[ids.get(g)! * ways + c] = w / p.norm;
  });
  const scores = new Float64Array(ways);
  return episode.queryTexts.map((q) => {
    scores.fill(0);
    // the query's own norm scales every class's score alike: argmax needs no division by it
    for (const [g, w] of ngramProfile(q).weights) {
      const id = ids.get(g);
      if (id === undefined) continue;
      for (let c = 0, at = id * ways; c < ways; c++) scores[c] += w * table[at + c];
    }
    let best = 0;
    for (let c = 1; c < ways; c++) if (scores[c] > scores[best]) best = c;
    return best;
  });
}
