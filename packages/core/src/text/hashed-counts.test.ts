import { describe, expect, it } from 'vitest';
import {
  CHECK_SEED,
  checkHash,
  checkOf,
  extendCheck,
  extendLeft,
  HASH_SEED,
  keyHash,
  keyOf,
  NgramTable,
} from './hashed-counts.js';

/** A string's key and check. */
const at = (s: string): [number, number] => [keyHash(s), checkHash(s)];

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
    const add = (history: string, next: string) => t.add(...at(history + next), ...at(history));
    add('', 'a');
    add('', 'b');
    add('', 'a');
    add('a', 'b');
    add('a', 'b');
    add('a', 'c');
    const a = t.find(...at('a'));
    // 'a' is both an n-gram (seen twice) and a history (3 characters after it, 2 distinct)
    expect([t.count(a), t.total(a), t.distinct(a)]).toEqual([2, 3, 2]);
    const empty = t.find(...at(''));
    expect([t.count(empty), t.total(empty), t.distinct(empty)]).toEqual([0, 3, 2]);
    expect(t.count(t.find(...at('ab')))).toBe(2);
    expect(t.find(...at('ca'))).toBe(-1);
  });

  it('keeps two strings apart whose keys collide but whose checks differ', () => {
    const t = new NgramTable(4);
    t.add(12345, 1, 777, 9);
    t.add(12345, 2, 777, 9);
    t.add(12345, 2, 777, 9);
    expect(t.count(t.find(12345, 1))).toBe(1);
    expect(t.count(t.find(12345, 2))).toBe(2);
    expect(t.find(12345, 3)).toBe(-1);
    expect([t.total(t.find(777, 9)), t.distinct(t.find(777, 9))]).toEqual([3, 2]);
    expect(checkOf(extendCheck(extendCheck(CHECK_SEED, 'b'), 'a'))).toBe(checkHash('ab'));
  });

  it('keeps every count through growing and compacting', () => {
    const t = new NgramTable(4);
    for (let i = 0; i < 5000; i++) for (let r = 0; r <= i % 3; r++) t.add(...at(`k${i}`), ...at(''));
    const grown = t.bytes;
    t.compact();
    expect(t.bytes).toBeLessThanOrEqual(grown);
    expect(t.size).toBe(5001);
    for (let i = 0; i < 5000; i++) expect(t.count(t.find(...at(`k${i}`)))).toBe((i % 3) + 1);
    expect(t.total(t.find(...at('')))).toBe(9999);
    expect(t.find(...at('k5000'))).toBe(-1);
  });

  it('holds an empty table', () => {
    const t = new NgramTable();
    expect(t.find(...at('x'))).toBe(-1);
    expect(t.bytes).toBeGreaterThan(0);
  });
});
