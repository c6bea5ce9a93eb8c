import { InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { DEFAULT_MAX_INPUT_MB, MAX_INPUT_MB_CEILING, setInputLimitMb } from './io/input-limits.js';

/** A decimal number: optional sign, digits with an optional fraction, an optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number a decimal string spells, or NaN. JavaScript's Number() also reads '0x10', '0b11',
 * '0o7' (16, 3, 7), 'Infinity' and '' (0): those are NaN here. Surrounding spaces are allowed.
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) + 0 : NaN; // + 0 turns -0 into 0
}

/** Commander argument parsers that reject bad values with one clear sentence. */
export function intArg(min: number, max = 2_147_483_647): (v: string) => number {
  return (v: string) => {
    const n = parseDecimal(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new CommanderArgError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** `N` or `variable`: a count, or Meta-Dataset's rule (ways and shots of image-domain episodes). */
export function countOrVariable(min: number, max: number): (v: string) => number | 'variable' {
  const int = intArg(min, max);
  return (v: string) => {
    if (v.trim() === 'variable') return 'variable';
    try {
      return int(v);
    } catch {
      throw new CommanderArgError(`must be an integer from ${min} to ${max}, or "variable"`);
    }
  };
}

export function numArg(min: number, max = Number.MAX_VALUE, exclusiveMin = true): (v: string) => number {
  return (v: string) => {
    const n = parseDecimal(v);
    if (!Number.isFinite(n) || (exclusiveMin ? n <= min : n < min) || n > max) {
      throw new CommanderArgError(
        `must be a number ${exclusiveMin ? '>' : '≥'} ${min}${max < Number.MAX_VALUE ? ` and ≤ ${max}` : ''}`,
      );
    }
    return n;
  };
}

/**
 * `--max-input-mb <n>`: the size limit of every file the command reads (a CSV or image file, a zip
 * archive and its entries inflated). Parsing it sets the limit for the process, so the readers
 * need no plumbing; a command only adds the option.
 */
export function maxInputOption(): Option {
  return new Option(
    '--max-input-mb <n>',
    `largest input read, in MiB: a CSV or image file, a zip archive, or its entries inflated (default ${DEFAULT_MAX_INPUT_MB})`,
  ).argParser((v) => {
    const mb = intArg(1, MAX_INPUT_MB_CEILING)(v);
    setInputLimitMb(mb);
    return mb;
  });
}

/** `K` or `MIN-MAX`: the shot counts to train over. */
export function shotRangeArg(v: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || lo < 1 || hi < lo || hi > 10_000)
    throw new CommanderArgError('must be K or MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 10000');
  return [lo, hi];
}
