import { describe, expect, it } from 'vitest';
import { cosine, meanProfile, ngramProfile } from './ngram-profile.js';
import { dominantScript } from './script.js';
import { trigramBaseline } from './trigram-baseline.js';

describe('ngramProfile', () => {
  it('counts padded trigrams by code point', () => {
    const p = ngramProfile('aba');
    expect([...p.weights]).toEqual([
      [' ab', 1],
      ['aba', 1],
      ['ba ', 1],
    ]);
    expect(ngramProfile('𝒜𝒜').weights.get('𝒜𝒜 ')).toBe(1);
  });

  it('keeps the most frequent n-grams, ties by code point', () => {
    const p = ngramProfile(['aaaa', 'b'], 3, 2);
    expect([...p.weights.keys()]).toEqual(['aaa', ' aa']);
  });

  it('compares by cosine: 1 for the same text, 0 for nothing shared or empty', () => {
    const a = ngramProfile('hello world');
    expect(cosine(a, ngramProfile('hello world'))).toBeCloseTo(1, 12);
    expect(cosine(a, ngramProfile('xyz'))).toBe(0);
    expect(cosine(a, ngramProfile([]))).toBe(0);
  });

  it('averages unit-length profiles, so a long example weighs as much as a short one', () => {
    const m = meanProfile([ngramProfile('ab'), ngramProfile('cd'.repeat(50))]);
    expect(cosine(m, ngramProfile('ab'))).toBeCloseTo(cosine(m, ngramProfile('cd'.repeat(50))), 1);
  });
});

describe('trigramBaseline', () => {
  it("predicts each query's class by the nearest prototype", () => {
    const episode = {
      classes: ['eng', 'deu', 'fra'],
      supportTexts: [
        'the rights of the people',
        'with the freedom',
        'die Rechte der Menschen',
        'les droits de',
      ],
      supportLabels: [0, 0, 1, 2],
      queryTexts: ['der Menschen Würde', 'the people', 'les hommes de'],
      queryLabels: [1, 0, 2],
    };
    expect(trigramBaseline(episode)).toEqual([1, 0, 2]);
  });

  it('refuses a class without support and labels out of range', () => {
    const ep = {
      classes: ['a', 'b'],
      supportTexts: ['x'],
      supportLabels: [0],
      queryTexts: [],
      queryLabels: [],
    };
    expect(() => trigramBaseline(ep)).toThrow(/no support/);
    expect(() => trigramBaseline({ ...ep, supportLabels: [2] })).toThrow(/label 2/);
  });
});

describe('dominantScript', () => {
  it('names the script most letters are in, ignoring digits and punctuation', () => {
    expect(dominantScript('Права человека, 1948')).toBe('Cyrl');
    expect(dominantScript(['人人生而自由', 'abc'])).toBe('Hani');
    expect(dominantScript('Article 1: «Сва»')).toBe('Latn');
    expect(dominantScript('ꦱꦧꦼꦤ꧀')).toBe('Java');
    expect(dominantScript('1948 — 2024')).toBe('Zyyy');
  });
});
