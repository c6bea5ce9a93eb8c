import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { charLmBaseline, charLmScores, supportByClass } from './char-lm.js';
import type { TextEpisode } from './text-types.js';

describe('charLmScores', () => {
  it('gives the Witten–Bell unigram estimate worked by hand', () => {
    // " ab " predicts a, b and the closing space: each seen once after the empty history, 3
    // distinct, alphabet 3 + 1; p = (1 + 0.5 · 3 · 1/4) / (3 + 0.5 · 3) for each character.
    const s = charLmScores([['ab']], ['ab'], { order: 1 });
    expect(s.length).toBe(1);
    expect(s[0]).toBeCloseTo(Math.log((1 + 0.375) / 4.5), 6);
  });

  it('scores a query higher under the class whose text it resembles, more so with longer histories', () => {
    const support = [['the cat sat on the mat with the hat'], ['kuu kana pii moana uli kai']];
    const s = charLmScores(support, ['the rat sat', 'kana moana'], { order: 3 });
    const at = (q: number, c: number, k: number) => s[(q * 2 + c) * 3 + k];
    for (let k = 0; k < 3; k++) {
      expect(at(0, 0, k)).toBeGreaterThan(at(0, 1, k));
      expect(at(1, 1, k)).toBeGreaterThan(at(1, 0, k));
    }
    expect(at(0, 0, 2) - at(0, 1, 2)).toBeGreaterThan(at(0, 0, 0) - at(0, 1, 0));
  });

  it('stays finite on characters no support text has, and ignores case and spacing', () => {
    const s = charLmScores([['abc'], ['xyz']], ['ЖЖЖ 漢字', '  ABC  '], { order: 4 });
    expect(s.every(Number.isFinite)).toBe(true);
    const plain = charLmScores([['abc'], ['xyz']], ['abc'], { order: 4 });
    expect(Array.from(s.slice(8))).toEqual(Array.from(plain));
  });

  it('pools a class’s support texts and is deterministic', () => {
    const a = charLmScores([['ab', 'cd'], ['ef']], ['abcd'], { order: 2 });
    const b = charLmScores([['ab', 'cd'], ['ef']], ['abcd'], { order: 2 });
    expect(a).toEqual(b);
    expect(a[1]).toBeGreaterThan(a[3]);
  });

  it('refuses a bad order or a class without text', () => {
    expect(() => charLmScores([['a']], ['a'], { order: 0 })).toThrow(InvalidArgumentError);
    expect(() => charLmScores([['a']], ['a'], { order: 2.5 })).toThrow(/order/);
    expect(() => charLmScores([['a'], []], ['a'], { order: 2 })).toThrow(/support text/);
  });
});

describe('charLmBaseline', () => {
  const episode: TextEpisode = {
    classes: ['eng', 'haw'],
    supportTexts: ['aloha kakou e na hoaaloha', 'good morning to all my friends'],
    supportLabels: [1, 0],
    queryTexts: ['morning friends', 'aloha hoa'],
    queryLabels: [0, 1],
  };

  it('labels each query with the class whose model likes it best', () => {
    expect(charLmBaseline(episode)).toEqual([0, 1]);
  });

  it('groups support texts by label and refuses a label out of range', () => {
    expect(supportByClass(episode)).toEqual([[episode.supportTexts[1]], [episode.supportTexts[0]]]);
    expect(() => supportByClass({ ...episode, supportLabels: [0, 2] })).toThrow(InvalidArgumentError);
  });
});
