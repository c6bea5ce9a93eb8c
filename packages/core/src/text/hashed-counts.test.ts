import { describe, expect, it } from 'vitest';
import { HashedCounts, keyHash } from './hashed-counts.js';

describe('HashedCounts', () => {
  it('hashes a string the same way every time, never to 0, and tells close strings apart', () => {
    expect(keyHash('the')).toBe(keyHash('th' + 'e'));
    expect(keyHash('')).not.toBe(0);
    const keys = ['a', 'b', 'ab', 'ba', '\u00e9', 'e\u0301', 'чт', '\u{1d518}'];
    expect(new Set(keys.map(keyHash)).size).toBe(keys.length);
  });

  it('finds every key it was given with its counts, and no other', () => {
    const single = new HashedCounts(
      new Map([
        ['the', 7],
        ['he ', 2],
        ['', 40],
      ]),
    );
    expect(single.first(single.find(keyHash('the')))).toBe(7);
    expect(single.first(single.find(keyHash('')))).toBe(40);
    expect(single.find(keyHash('she'))).toBe(-1);
    const many = new Map(Array.from({ length: 5000 }, (_, i) => [`k${i}`, [i, i % 7] as const]));
    const pairs = new HashedCounts(many);
    for (const [k, [a, b]] of many) {
      const s = pairs.find(keyHash(k));
      expect([pairs.first(s), pairs.second(s)]).toEqual([a, b]);
    }
    expect(pairs.find(keyHash('k5000'))).toBe(-1);
  });

  it('holds an empty table', () => {
    const t = new HashedCounts(new Map());
    expect(t.find(keyHash('x'))).toBe(-1);
    expect(t.bytes).toBeGreaterThan(0);
  });
});
