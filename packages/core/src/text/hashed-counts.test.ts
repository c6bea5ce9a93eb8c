import { describe, expect, it } from 'vitest';
import { extendLeft, HASH_SEED, keyHash, keyOf, NgramTable } from './hashed-counts.js';

describe('n-gram table', () => {
  it('hashes a string the same way every time, never to 0, and tells close strings apart', () => {
    expect(keyHash('the')).toBe(keyHash('th' + 'e'));
    expect(keyHash('')).not.toBe(0);
    const keys = ['a', 'b', 'ab', 'ba', '\u00e9', 'e\u0301', 'чт', '\u{1d518}', '\u{1d518}a', 'a\u{1d518}'];
    expect(new Set(keys.map(keyHash)).size).toBe(keys.length);
  });

  it('extends a hash on the left one character at a time, surrogate pairs whole', () => {
    let h = extendLeft(HASH_SEED, 'c');
    h = extendLeft(h, '\u{1d518}');
    h = extendLeft(h, 'a');
    expect(keyOf(h)).toBe(keyHash('a\u{1d518}c'));
  });

  it('counts n-grams and, for each history, its total and distinct next characters', () => {
    const t = new NgramTable(4);
    const add = (history: string, next: string) => t.add(keyHash(history + next), keyHash(history));
    add('', 'a');
    add('', 'b');
    add('', 'a');
    add('a', 'b');
    add('a', 'b');
    add('a', 'c');
    const a = t.find(keyHash('a'));
    // 'a' is both an n-gram (seen twice) and a history (3 characters after it, 2 distinct)
    expect([t.count(a), t.total(a), t.distinct(a)]).toEqual([2, 3, 2]);
    const empty = t.find(keyHash(''));
    expect([t.count(empty), t.total(empty), t.distinct(empty)]).toEqual([0, 3, 2]);
    expect(t.count(t.find(keyHash('ab')))).toBe(2);
    expect(t.find(keyHash('ca'))).toBe(-1);
  });

  it('keeps every count through growing and compacting', () => {
    const t = new NgramTable(4);
    for (let i = 0; i < 5000; i++) for (let r = 0; r <= i % 3; r++) t.add(keyHash(`k${i}`), keyHash(''));
    const grown = t.bytes;
    t.compact();
    expect(t.bytes).toBeLessThanOrEqual(grown);
    expect(t.size).toBe(5001);
    for (let i = 0; i < 5000; i++) expect(t.count(t.find(keyHash(`k${i}`)))).toBe((i % 3) + 1);
    expect(t.total(t.find(keyHash('')))).toBe(9999);
    expect(t.find(keyHash('k5000'))).toBe(-1);
  });

  it('holds an empty table', () => {
    const t = new NgramTable();
    expect(t.find(keyHash('x'))).toBe(-1);
    expect(t.bytes).toBeGreaterThan(0);
  });
});
