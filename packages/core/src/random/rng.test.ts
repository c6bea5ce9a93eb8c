import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('gives the same numbers for the same seed and different ones for another', () => {
    const a = Rng.fromSeed(42),
      b = Rng.fromSeed(42),
      c = Rng.fromSeed(43);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('restores exactly from its saved state', () => {
    const a = Rng.fromSeed(7);
    a.normal();
    const b = Rng.fromState(a.state());
    expect(Array.from({ length: 10 }, () => b.uniform())).toEqual(
      Array.from({ length: 10 }, () => a.uniform()),
    );
  });

  it('keeps draws in range and roughly uniform / normal', () => {
    const r = Rng.fromSeed(1);
    const u = Array.from({ length: 20000 }, () => r.range(-5, 5));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...u)).toBeLessThan(5);
    expect(Math.abs(u.reduce((s, x) => s + x, 0) / u.length)).toBeLessThan(0.1);
    const n = Array.from({ length: 20000 }, () => r.normal());
    const mean = n.reduce((s, x) => s + x, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, x) => s + (x - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
  });

  it('labels and jumps give streams that differ from the base stream', () => {
    const base = Rng.fromSeed(3);
    const first = Array.from({ length: 4 }, () => Rng.fromSeed(3).uniform());
    expect(Array.from({ length: 4 }, () => Rng.fromSeed(3, 'x').uniform())).not.toEqual(first);
    const j = base.jumped();
    expect(j.state()).not.toEqual(base.state());
  });

  it('samples without replacement and rejects impossible samples', () => {
    const r = Rng.fromSeed(5);
    const s = r.sample([1, 2, 3, 4, 5], 5);
    expect([...s].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => r.sample([1, 2], 3)).toThrow(RangeError);
  });
});
