import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { CharLms, charLmScores, charLmText } from './char-lm.js';
import { type BankKeys, bankKeys, BankReader, prepareHashes } from './bank-reader.js';
import { LanguageBank } from './language-bank.js';

const languages = [
  { label: 'spa', texts: ['la casa de la señora es grande', 'los derechos de la persona'] },
  { label: 'eng', texts: ['the house of the lady is big', 'the rights of the person'] },
  { label: 'deu', texts: ['das haus der frau ist gross', 'die rechte der person'] },
];

/** The keys a reader reads for ch[i]: histories of 0..order−1 characters before it, and with it. */
function keysOf(ch: string[], i: number, order: number): BankKeys {
  const keys = bankKeys(order);
  prepareHashes(ch, i, order, keys);
  return keys;
}

/** Bank language j's estimates at every order for one character, looked up alone (a fresh reader). */
function alone(
  b: LanguageBank,
  j: number,
  keys: BankKeys,
  order: number,
  p0: number,
  out: Float64Array,
): void {
  new BankReader(b.counts, [j], order, 1).read(keys, p0, out);
}

describe('LanguageBank', () => {
  const bank = new LanguageBank(languages, 3);

  it('finds the language whose trigrams a text shares, nearest first, and leaves out the excluded', () => {
    expect(bank.nearest(['la persona de la casa'], 1)).toEqual([0]);
    expect(bank.nearest(['the person of the house'], 2)[0]).toBe(1);
    expect(bank.nearest(['la persona de la casa'], 1, new Set(['spa']))).not.toEqual([0]);
    expect(bank.nearest(['xyz'], 3).sort()).toEqual([0, 1, 2]);
  });

  it('gives the Witten–Bell estimate of its whole text, worked by hand', () => {
    // " ab ab " after lower-casing: after the empty history a, b, ' ', a, b, ' ' (total 6, 3
    // distinct); after 'a' only b (1 of 1, twice)
    const b = new LanguageBank([{ label: 'x', texts: ['ab ab'] }], 2);
    const ch = charLmText('ab');
    const out = new Float64Array(2);
    alone(b, 0, keysOf(ch, 2, 2), 2, 0.1, out);
    const uni = (2 + 3 * 0.1) / (6 + 3);
    expect(out[0]).toBeCloseTo(uni, 12);
    expect(out[1]).toBeCloseTo((2 + 1 * uni) / (2 + 1), 12);
    // a history the text never has keeps the lower order's estimate
    const unseen = bankKeys(2);
    prepareHashes(['q', 'b'], 1, 2, unseen);
    alone(b, 0, unseen, 2, 0.1, out);
    expect(out[1]).toBeCloseTo(out[0], 12);
  });

  it('reads along a text as it looks up each character alone, jumps and other texts included', () => {
    const reader = new BankReader(bank.counts, [2, 0, 1], 3, 1);
    const out = new Float64Array(9);
    const one = new Float64Array(3);
    const check = (ch: string[], i: number) => {
      reader.read(keysOf(ch, i, 3), 0.02, out);
      [2, 0, 1].forEach((j, a) => {
        alone(bank, j, keysOf(ch, i, 3), 3, 0.02, one);
        for (let k = 0; k < 3; k++) expect(out[a * 3 + k]).toBe(one[k]);
      });
    };
    const a = charLmText('la persona de la casa, the house, das haus');
    const b = charLmText('die rechte der señora');
    for (let i = 1; i < a.length; i++) check(a, i);
    // a jump back, a new text, and a fresh array with the same characters
    [5, 6, 2].forEach((i) => check(a, i));
    for (let i = 1; i < b.length; i++) check(b, i);
    check([...a], 7);
  });

  it('fits mixture shares that sum to 1 and favour the language that wrote the text', () => {
    const floor = () => 0.01;
    const w = bank.fitMixture([0, 1, 2], [charLmText('la persona de la casa es grande')], 3, 1, floor, 10);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w[0]).toBeGreaterThan(0.5);
    // more steps only sharpen the shares: the likelihood of the text never falls
    const ll = (shares: Float64Array) => {
      const ch = charLmText('la persona de la casa es grande');
      const out = new Float64Array(3);
      let sum = 0;
      for (let i = 1; i < ch.length; i++) {
        let p = 0;
        [0, 1, 2].forEach((j, a) => {
          alone(bank, j, keysOf(ch, i, 3), 3, 0.01, out);
          p += shares[a] * out[2];
        });
        sum += Math.log(p);
      }
      return sum;
    };
    const one = bank.fitMixture([0, 1, 2], [charLmText('la persona de la casa es grande')], 3, 1, floor, 1);
    expect(ll(w)).toBeGreaterThanOrEqual(ll(one));
    expect(ll(one)).toBeGreaterThanOrEqual(ll(Float64Array.from([1 / 3, 1 / 3, 1 / 3])));
  });

  it('refuses an empty bank and a bad order with a typed error', () => {
    expect(() => new LanguageBank([], 3)).toThrow(InvalidArgumentError);
    expect(() => new LanguageBank(languages, 0)).toThrow(InvalidArgumentError);
  });
});

describe('character language models with a bank prior', () => {
  const bank = new LanguageBank(languages, 3);
  const support = [['las personas de la casa'], ['the persons of the house']];

  it('mixes each class with its nearest bank language: (1 − w) · p_class + w · p_bank at every order', () => {
    const w = 0.25;
    const plain = new CharLms(support, { order: 3 });
    const mixed = new CharLms(support, { order: 3, prior: { bank, weight: w, neighbours: 1 } });
    expect(mixed.bankNeighbours()).toEqual([['spa'], ['eng']]);
    const ch = charLmText('la señora');
    const a = new Float64Array(6);
    const b = new Float64Array(6);
    const bankP = new Float64Array(3);
    for (let i = 1; i < ch.length; i++) {
      plain.conditional(ch, i, a);
      mixed.conditional(ch, i, b);
      // the bank's recursion starts from the class models' own floor: their estimate with no history
      // is not it, so recover the floor from the order-1 estimate of a class that lacks nothing
      [0, 1].forEach((c, near) => {
        const floorP = pooledFloor(support, ch[i]);
        alone(bank, near === 0 ? 0 : 1, keysOf(ch, i, 3), 3, floorP, bankP);
        for (let k = 0; k < 3; k++)
          expect(b[c * 3 + k]).toBeCloseTo((1 - w) * a[c * 3 + k] + w * bankP[k], 12);
      });
    }
  });

  it('keeps the heaviest shares of its candidates, renormalised', () => {
    const lms = new CharLms(support, { order: 3, prior: { bank, weight: 0.3, neighbours: 3, keep: 2 } });
    const shares = lms.bankShares();
    expect(lms.bankNeighbours().map((n) => n.length)).toEqual([2, 2]);
    for (const s of shares) {
      expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(s[0]).toBeGreaterThanOrEqual(s[1]);
    }
    expect(lms.bankNeighbours()[0][0]).toBe('spa');
    expect(lms.bankNeighbours()[1][0]).toBe('eng');
  });

  it('scores as without a bank at weight 0, and leaves out excluded languages', () => {
    const q = ['la casa', 'the house'];
    expect(charLmScores(support, q, { order: 3, prior: { bank, weight: 0, neighbours: 1 } })).toEqual(
      charLmScores(support, q, { order: 3 }),
    );
    const lms = new CharLms(support, {
      order: 3,
      prior: { bank, weight: 0.2, neighbours: 1, exclude: new Set(['spa', 'eng']) },
    });
    expect(lms.bankNeighbours()).toEqual([['deu'], ['deu']]);
  });

  it('helps a class whose relative the bank knows: the query word its support lacks costs less', () => {
    // 'señora' is not in the first class's support; Spanish in the bank has it
    const q = ['la señora'];
    const without = charLmScores(support, q, { order: 3 });
    const withBank = charLmScores(support, q, { order: 3, prior: { bank, weight: 0.2, neighbours: 1 } });
    expect(withBank[2] - withBank[5]).toBeGreaterThan(without[2] - without[5]);
  });

  it('fits the shares with lower-order bank models where asked, and mixes full-order ones', () => {
    const o = (fitOrder?: number) => ({ order: 3, prior: { bank, weight: 0.3, neighbours: 3, fitOrder } });
    const full = new CharLms(support, o());
    const low = new CharLms(support, o(1));
    // the candidates are the same; their shares come from other likelihoods
    expect(low.bankNeighbours().map((n) => [...n].sort())).toEqual(
      full.bankNeighbours().map((n) => [...n].sort()),
    );
    expect(low.bankShares()).not.toEqual(full.bankShares());
    expect(charLmScores(support, ['la casa'], o(1)).length).toBe(2 * 3);
    expect(() => new CharLms(support, o(4))).toThrow(InvalidArgumentError);
    expect(() => new CharLms(support, o(0))).toThrow(InvalidArgumentError);
  });

  it('refuses a weight of 1 or more, no neighbours, and a bank of lower order, with a typed error', () => {
    const o = (weight: number, neighbours: number, b = bank) => ({
      order: 3,
      prior: { bank: b, weight, neighbours },
    });
    expect(() => new CharLms(support, o(1, 1))).toThrow(InvalidArgumentError);
    expect(() => new CharLms(support, o(0.2, 0))).toThrow(InvalidArgumentError);
    expect(
      () => new CharLms(support, { order: 3, prior: { bank, weight: 0.2, neighbours: 2, keep: 0 } }),
    ).toThrow(InvalidArgumentError);
    expect(() => new CharLms(support, o(0.2, 1, new LanguageBank(languages, 2)))).toThrow(
      InvalidArgumentError,
    );
  });
});

/** The pooled unigram floor of CharLms (β 1): every support text together, over a uniform floor. */
function pooledFloor(support: string[][], x: string): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const t of support.flat()) {
    const ch = charLmText(t);
    for (let i = 1; i < ch.length; i++) {
      counts.set(ch[i], (counts.get(ch[i]) ?? 0) + 1);
      total++;
    }
  }
  const uniform = 1 / (counts.size + 1);
  const back = counts.size;
  return ((counts.get(x) ?? 0) + back * uniform) / (total + back);
}
