import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { charLmBaseline, CharLms, charLmScores, charLmText, supportByClass } from './char-lm.js';
import type { TextEpisode } from './text-types.js';

describe('charLmScores', () => {
  it('gives the Witten–Bell unigram estimate worked by hand, over either floor', () => {
    // " ab " predicts a, b and the closing space: each seen once after the empty history, 3
    // distinct, alphabet 3 + 1. Uniform floor, β 0.5: p = (1 + 0.5 · 3 · 1/4) / (3 + 0.5 · 3).
    const old = charLmScores([['ab']], ['ab'], { order: 1, floor: 'uniform', beta: 0.5 });
    expect(old.length).toBe(1);
    expect(old[0]).toBeCloseTo(Math.log((1 + 0.375) / 4.5), 6);
    // pooled floor (the default, β 1): the pooled unigram (1 + 3 · 1/4) / (3 + 3), then
    // p = (1 + 3 · 1.75/6) / (3 + 3)
    const pooled = charLmScores([['ab']], ['ab'], { order: 1 });
    expect(pooled[0]).toBeCloseTo(Math.log((1 + (3 * 1.75) / 6) / 6), 6);
  });

  it('gives every class and order a distribution over the episode’s characters that sums to 1', () => {
    const support = [['la casa de la señora'], ['the house of the lady', 'a ship'], ['ab']];
    for (const floor of ['pooled', 'uniform'] as const)
      for (const beta of [0.5, 1]) {
        const lms = new CharLms(support, { order: 4, floor, beta });
        // every character of the support, plus one that stands for all those it lacks
        const alphabet = [...lms.characters, 'ж'];
        for (const history of ['', 'the', 'la s', 'qqq']) {
          const sums = new Float64Array(3 * 4);
          const p = new Float64Array(3 * 4);
          for (const x of alphabet) {
            // the space too: a text's closing space is a character the models predict
            const ch = [...charLmText(history).slice(0, -1), x];
            lms.conditional(ch, ch.length - 1, p);
            p.forEach((v, j) => (sums[j] += v));
          }
          for (const s of sums) expect(s).toBeCloseTo(1, 10);
        }
      }
  });

  it('charges a class less for a character the other classes use than for one none has', () => {
    const support = [['aaa bbb'], ['ccc ccc']];
    const at = (floor: 'pooled' | 'uniform', q: string) => charLmScores(support, [q], { order: 1, floor })[0];
    // under class 0: 'c' is common in the episode, 'd' in no support text
    expect(at('pooled', 'c')).toBeGreaterThan(at('pooled', 'd'));
    expect(at('uniform', 'c')).toBeCloseTo(at('uniform', 'd'), 10);
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
    expect(() => charLmScores([['a']], ['a'], { order: 2, beta: 0 })).toThrow(/beta/);
    const floor = 'flat' as unknown as 'pooled';
    expect(() => charLmScores([['a']], ['a'], { order: 2, floor })).toThrow(/floor/);
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
