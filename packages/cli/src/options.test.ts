import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INPUT_MB, inputLimitBytes, setInputLimitMb } from './io/input-limits.js';
import { intArg, maxInputOption, numArg, parseDecimal } from './options.js';

afterEach(() => setInputLimitMb(DEFAULT_MAX_INPUT_MB));

const NOT_DECIMAL = [
  '0x10',
  '0X1F',
  '0b11',
  '0o7',
  'Infinity',
  '-Infinity',
  'NaN',
  '',
  '  ',
  '1_000',
  '1e',
  '.',
  '+',
  '--1',
  '1,5',
  '5 6',
];

describe('numeric flags are decimal', () => {
  it('parseDecimal reads sign, digits, fraction and exponent, and nothing else', () => {
    for (const v of NOT_DECIMAL) expect(parseDecimal(v), v).toBeNaN();
    expect(['7', ' 7 ', '+7', '-7', '007', '1.5', '.5', '5.', '1e3', '1E-3', '-0'].map(parseDecimal)).toEqual(
      [7, 7, 7, -7, 7, 1.5, 0.5, 5, 1000, 0.001, 0],
    );
    expect(Object.is(parseDecimal('-0'), 0)).toBe(true);
  });

  it('intArg refuses 0x10, 0b11, 0o7, Infinity and the empty string instead of reading 16, 3, 7', () => {
    const steps = intArg(0, 100_000);
    for (const v of NOT_DECIMAL) expect(() => steps(v), v).toThrow('must be an integer from 0 to 100000');
    expect([' 16 ', '1e3', '+3'].map(steps)).toEqual([16, 1000, 3]);
    expect(() => steps('2.5')).toThrow(/must be an integer/);
  });

  it('numArg refuses them too', () => {
    const lr = numArg(0, 10);
    for (const v of NOT_DECIMAL) expect(() => lr(v), v).toThrow('must be a number > 0 and ≤ 10');
    expect(['0.001', '1e-3', '.5'].map(lr)).toEqual([0.001, 0.001, 0.5]);
  });
});

describe('--max-input-mb', () => {
  const parse = (...args: string[]) => {
    const cmd = new Command('read')
      .exitOverride()
      .configureOutput({ writeErr: () => {} })
      .addOption(maxInputOption())
      .action(() => {});
    cmd.parse(args, { from: 'user' });
    return cmd.opts();
  };

  it('sets the limit every reader uses for the rest of the process', () => {
    expect(inputLimitBytes()).toBe(256 * 1024 * 1024);
    expect(parse('--max-input-mb', '1024')).toEqual({ maxInputMb: 1024 });
    expect(inputLimitBytes()).toBe(1024 * 1024 * 1024);
    expect(parse()).toEqual({});
  });

  it('takes a whole number of MiB from 1 to 2047', () => {
    for (const v of ['0', '2048', '0x10', '1.5'])
      expect(() => parse('--max-input-mb', v), v).toThrow(
        /--max-input-mb <n>.*must be an integer from 1 to 2047/,
      );
    expect(inputLimitBytes()).toBe(256 * 1024 * 1024);
  });
});
