import { describe, expect, it } from 'vitest';
import { cosine, ngramProfile } from './ngram-profile.js';
import { TrigramPostings } from './trigram-postings.js';

describe('trigram postings', () => {
  const texts = ['la casa de la señora', 'the house of the lady', 'дом госпожи', '𝔘𝔫𝔦 𝔠𝔬𝔡𝔢'];
  const profiles = texts.map((t) => ngramProfile(t, 3));
  const postings = new TrigramPostings(profiles);

  it("scores each language by its profile's cosine with the text", () => {
    for (const query of ['La Casa', 'the lady of the house', 'госпожа', '𝔠𝔬𝔡𝔢', 'xyz']) {
      const p = ngramProfile(query.toLowerCase(), 3);
      const scores = postings.scores([query]);
      profiles.forEach((prof, j) => expect(scores[j]).toBeCloseTo(cosine(p, prof), 12));
    }
  });

  it('adds the trigrams of several texts together', () => {
    const both = postings.scores(['la casa', 'la señora']);
    const p = ngramProfile(['la casa', 'la señora'], 3);
    expect(both[0]).toBeCloseTo(cosine(p, profiles[0]), 12);
  });
});
