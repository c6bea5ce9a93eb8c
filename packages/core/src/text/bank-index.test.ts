import { describe, expect, it } from 'vitest';
import { BankIndex } from './bank-index.js';
import { checkHash, keyHash, NgramTable } from './hashed-counts.js';

/** A string's key and check. */
const at = (s: string): [number, number] => [keyHash(s), checkHash(s)];

/** Language j counts the strings s0 … s(j·3) once each, and 'common' j + 1 times. */
function tables(languages: number): NgramTable[] {
  return Array.from({ length: languages }, (_, j) => {
    const t = new NgramTable();
    for (let i = 0; i <= j * 3; i++) t.add(...at(`s${i}`), ...at(''));
    for (let r = 0; r <= j; r++) t.add(...at('common'), ...at('c'));
    return t;
  });
}

describe('bank index', () => {
  const n = 60;
  const index = new BankIndex(tables(n));

  it("finds every language's counts, in short runs and in runs long enough to be binary-searched", () => {
    for (let j = 0; j < n; j++) {
      const common = index.search(index.find(...at('common')), j);
      expect(index.count(common)).toBe(j + 1);
      const empty = index.search(index.find(...at('')), j);
      expect([index.total(empty), index.distinct(empty)]).toEqual([j * 3 + 1, j * 3 + 1]);
      // s(j·3) is held by language j and those after it only
      const s = index.find(...at(`s${j * 3}`));
      for (let l = 0; l < n; l++) expect(index.search(s, l) >= 0).toBe(l >= j);
    }
    expect(index.find(...at('absent'))).toBe(-1);
    expect(index.search(-1, 0)).toBe(-1);
  });

  it('locates a sorted list of languages in a run as searching each would, by merging or by search', () => {
    for (const langs of [[3], [0, 7, 8, 30, 59], Array.from({ length: 40 }, (_, a) => a + 10)]) {
      const sorted = Int32Array.from(langs);
      for (const key of ['common', '', 's0', 's90', 'absent']) {
        const s = index.find(...at(key));
        const out = new Int32Array(sorted.length + 2).fill(99);
        index.locate(s, sorted, out, 2);
        expect([...out.slice(2)]).toEqual(langs.map((l) => index.search(s, l)));
        expect([...out.slice(0, 2)]).toEqual([99, 99]);
      }
    }
  });
});
