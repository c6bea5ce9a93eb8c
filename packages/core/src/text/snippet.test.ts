import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import { normaliseText } from './normalise.js';
import { graphemes, snippet, wordEnd } from './snippet.js';

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

  it('cuts spaced text at the word boundary nearest the length, about the length on average', () => {
    const words = new Set(ENGLISH.split(' '));
    const seen = new Set<string>();
    const lengths: number[] = [];
    for (const s of draws(ENGLISH, 30)) {
      const n = graphemes(s).length;
      // at most half the length past it, and never shorter than the cut word allows
      expect(n).toBeLessThanOrEqual(45);
      expect(n).toBeGreaterThan(15);
      expect(ENGLISH.includes(s)).toBe(true);
      for (const w of s.split(' ')) expect(words.has(w)).toBe(true);
      seen.add(s);
      lengths.push(n);
    }
    // windows start at many different words; some end before the 30th character, some after it
    expect(seen.size).toBeGreaterThan(8);
    expect(lengths.some((n) => n < 30) && lengths.some((n) => n > 30)).toBe(true);
    const mean = lengths.reduce((a, b) => a + b) / lengths.length;
    expect(Math.abs(mean - 30)).toBeLessThan(3);
  });

  it('ends at the nearer boundary, the shorter on a tie, at most half the length past the cut', () => {
    const spaces = (t: string) => Uint8Array.from(t, (c) => (c === ' ' ? 1 : 0));
    // from 0, the 7th character is inside 'bbbbbb' (5..10): the space before it 2 back, after it 4 on
    expect(wordEnd(spaces('aaaa bbbbbb c'), 0, 7)).toBe(4);
    // the 10th: 5 back, 1 on
    expect(wordEnd(spaces('aaaa bbbbbb cc'), 0, 10)).toBe(11);
    // a cut after 'aa b' in 'aa bbb cc': 2 back, 2 on: the shorter
    expect(wordEnd(spaces('aa bbb cc'), 0, 4)).toBe(2);
    // a cut on a space, or at the text's end, stays
    expect(wordEnd(spaces('aa bbbb cc'), 0, 7)).toBe(7);
    expect(wordEnd(spaces('aa bbbb cc'), 0, 10)).toBe(10);
    // nothing back and the word's end 6 on, more than half of 6: a hard cut
    expect(wordEnd(spaces('aaaaaaaaaaaa b'), 0, 6)).toBe(6);
    // nothing back, 3 on: the word's end
    expect(wordEnd(spaces('aaaaaaaaa b'), 0, 6)).toBe(9);
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
