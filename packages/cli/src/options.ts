import { InvalidArgumentError as CommanderArgError } from 'commander';

/** Commander argument parsers that reject bad values with one clear sentence. */
export function intArg(min: number, max = 2_147_483_647): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new CommanderArgError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function numArg(min: number, max = Number.MAX_VALUE, exclusiveMin = true): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || (exclusiveMin ? n <= min : n < min) || n > max) {
      throw new CommanderArgError(`must be a number ${exclusiveMin ? '>' : '≥'} ${min}${max < Number.MAX_VALUE ? ` and ≤ ${max}` : ''}`);
    }
    return n;
  };
}

/** `K` or `MIN-MAX`: the shot counts to train over. */
export function shotRangeArg(v: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || lo < 1 || hi < lo || hi > 10_000) throw new CommanderArgError('must be K or MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 10000');
  return [lo, hi];
}
