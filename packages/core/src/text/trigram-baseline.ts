import { InvalidArgumentError } from '../errors/errors.js';
import { cosine, meanProfile, ngramProfile, type Profile } from './ngram-profile.js';
import type { TextEpisode } from './text-types.js';

/**
 * The no-training baseline: each query goes to the class whose prototype (the mean of its
 * support examples' character-trigram profiles) is nearest by cosine similarity. Returns the
 * predicted class index of every query; ties go to the lower index.
 */
export function trigramBaseline(episode: TextEpisode): number[] {
  const ways = episode.classes.length;
  if (episode.supportTexts.length !== episode.supportLabels.length)
    throw new InvalidArgumentError('episode: support texts and labels differ in number');
  const perClass: Profile[][] = Array.from({ length: ways }, () => []);
  episode.supportTexts.forEach((t, i) => {
    const label = episode.supportLabels[i];
    if (!Number.isInteger(label) || label < 0 || label >= ways)
      throw new InvalidArgumentError(`episode: support label ${label} is not a class index below ${ways}`);
    perClass[label].push(ngramProfile(t));
  });
  const prototypes = perClass.map((profiles, c) => {
    if (!profiles.length)
      throw new InvalidArgumentError(`episode: class ${episode.classes[c]} has no support`);
    return meanProfile(profiles);
  });
  return episode.queryTexts.map((q) => {
    const profile = ngramProfile(q);
    let best = 0;
    let bestScore = -Infinity;
    prototypes.forEach((p, c) => {
      const s = cosine(profile, p);
      if (s > bestScore) [best, bestScore] = [c, s];
    });
    return best;
  });
}
