import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import { normaliseText } from './normalise.js';
import { graphemes, snippet } from './snippet.js';

const ENGLISH =
  'Everyone has the right to take part in the government of his country, directly or through ' +
  'freely chosen representatives.';
const CHINESE = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。';

function draws(text: string, length: number, n = 200, seed = 1): string[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => snippet(text, length, rng));
}

describe('snippet', () => {
  it('gives whole texts for length 0 and for texts no longer than the length, drawing nothing', () => {
    const rng = Rng.fromSeed(3);
    const before = rng.state();
    expect(snippet(ENGLISH, 0, rng)).toBe(ENGLISH);
    expect(snippet('short text', 10, rng)).toBe('short text');
    expect(rng.state()).toEqual(before);
  });

  it('cuts spaced text at word boundaries, within the length', () => {
    const words = new Set(ENGLISH.split(' '));
    const seen = new Set<string>();
    for (const s of draws(ENGLISH, 30)) {
      expect(graphemes(s).length).toBeLessThanOrEqual(30);
      expect(ENGLISH.includes(s)).toBe(true);
      for (const w of s.split(' ')) expect(words.has(w)).toBe(true);
      seen.add(s);
    }
    // windows start at many different words, and none is much shorter than asked
    expect(seen.size).toBeGreaterThan(8);
    expect(Math.min(...draws(ENGLISH, 30).map((s) => s.length))).toBeGreaterThan(15);
  });

  it('cuts text without spaces at any character, exactly the length long', () => {
    const starts = new Set<number>();
    for (const s of draws(CHINESE, 10)) {
      expect(graphemes(s).length).toBe(10);
      expect(CHINESE.includes(s)).toBe(true);
      starts.add(CHINESE.indexOf(s));
    }
    expect(starts.size).toBeGreaterThan(15);
  });

  it('hard-cuts a window that holds one over-long word', () => {
    const word = 'Menschenrechtsdeklarationsübereinkommen';
    for (const s of draws(`${word} ${word}`, 12, 20)) expect(graphemes(s).length).toBe(12);
  });

  it('never splits a surrogate pair, a combining mark or an emoji sequence', () => {
    // q̃ (q + combining tilde) has no precomposed form; 𝒜 is a surrogate pair; the family emoji joins 4 people
    const text = normaliseText('q̃𝒜👨‍👩‍👧‍👦ŋ̈'.repeat(20));
    const clusters = new Set(graphemes(text));
    expect(clusters).toEqual(new Set(['q̃', '𝒜', '👨‍👩‍👧‍👦', 'ŋ̈']));
    for (const s of draws(text, 7)) {
      expect(graphemes(s).length).toBe(7);
      for (const g of graphemes(s)) expect(clusters.has(g)).toBe(true);
      expect(/\p{Cs}/u.test(s)).toBe(false); // no lone surrogate
    }
  });

  it('is the same for the same seed', () => {
    expect(draws(ENGLISH, 20, 50, 9)).toEqual(draws(ENGLISH, 20, 50, 9));
    expect(draws(ENGLISH, 20, 50, 9)).not.toEqual(draws(ENGLISH, 20, 50, 10));
  });

  it('refuses a negative or fractional length', () => {
    expect(() => snippet(ENGLISH, -1, Rng.fromSeed(0))).toThrow(InvalidArgumentError);
    expect(() => snippet(ENGLISH, 2.5, Rng.fromSeed(0))).toThrow(InvalidArgumentError);
  });
});

describe('normaliseText', () => {
  it('composes to NFC and folds white space, keeping case and punctuation', () => {
    expect(normaliseText('  Cafe\u0301,\t\r\n  Déjà  VU!  ')).toBe('Café, Déjà VU!');
  });
});
