import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { readNumericCsv } from './csv-points.js';
import {
  DEFAULT_MAX_INPUT_MB,
  inputLimitBytes,
  readFileBounded,
  readTextBounded,
  setInputLimitMb,
} from './input-limits.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => setInputLimitMb(DEFAULT_MAX_INPUT_MB));
const MiB = 1024 * 1024;

function file(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

describe('readNumericCsv', () => {
  it('accepts a UTF-8 byte-order mark (what spreadsheet programs write)', () => {
    expect(readNumericCsv(file('bom.csv', '\uFEFFx,y\r\n1,2\r\n3,4\r\n'), ['x', 'y'])).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(readNumericCsv(file('bom-x.csv', '\uFEFFX\n-0.5\n'), ['x'])).toEqual([[-0.5]]);
  });

  it('reads decimal numbers only: 0x10, 0b11, 0o7, Infinity and empty cells are refused', () => {
    for (const cell of ['0x10', '0b11', '0o7', 'Infinity', '-Infinity', '1e999', '', '1_000', '1e', '.']) {
      const path = file('cell.csv', `x,y\n1,2\n3,${cell}\n`);
      expect(() => readNumericCsv(path, ['x', 'y']), cell).toThrow(DataError);
      expect(() => readNumericCsv(path, ['x', 'y']), cell).toThrow(
        `cell.csv: line 3, column y: '${cell}' is not a finite number (decimal notation expected)`,
      );
    }
    const ok = file('decimal.csv', 'x,y\n-1.5e-3,+2\n.5,3.\n 7 ,1E2\n0010,-0\n');
    expect(readNumericCsv(ok, ['x', 'y'])).toEqual([
      [-0.0015, 2],
      [0.5, 3],
      [7, 100],
      [10, 0],
    ]);
  });

  it(`refuses a file over the ${DEFAULT_MAX_INPUT_MB} MiB input limit before reading it`, () => {
    const huge = file('huge.csv', 'x,y\n');
    truncateSync(huge, 300 * MiB); // sparse: takes no disk space
    expect(() => readNumericCsv(huge, ['x', 'y'])).toThrow(
      /huge\.csv: 300 MiB, more than the 256 MiB an input may have \(--max-input-mb raises the limit\)$/,
    );
  });

  it('stops at the first row past 1,000,000', () => {
    const rows = 'x,y\n' + '1,2\n'.repeat(1_000_001);
    expect(() => readNumericCsv(file('rows.csv', rows), ['x', 'y'])).toThrow(
      /rows\.csv: more than 1000000 data rows$/,
    );
  });

  it('refuses a row longer than 4096 bytes before holding it whole (a valid number can be megabytes of digits)', () => {
    expect(() => readNumericCsv(file('wide.csv', `x\n${'0'.repeat(5 * MiB)}\n`), ['x'])).toThrow(
      /^.*wide\.csv: line 2 is longer than 4096 bytes$/,
    );
    expect(readNumericCsv(file('wide-ok.csv', `x\n${'0'.repeat(4000)}1\n`), ['x'])).toEqual([[1]]);
  });

  it('refuses bytes that are not UTF-8, and quotes at most 40 characters of a bad header', () => {
    expect(() =>
      readNumericCsv(file('latin1.csv', Buffer.from([0x78, 0x2c, 0x79, 0x0a, 0x31, 0x2c, 0xe9, 0x0a])), [
        'x',
        'y',
      ]),
    ).toThrow(/latin1\.csv: not UTF-8 text/);
    expect(() => readNumericCsv(file('long.csv', `${'h'.repeat(3000)}\n1\n`), ['x'])).toThrow(
      /found 'h{40}…'$/,
    );
    expect(() => readNumericCsv(file('bom-only.csv', '\uFEFF\n \n'), ['x'])).toThrow(
      /bom-only\.csv: the file is empty/,
    );
  });
});

describe('input limits', () => {
  it('--max-input-mb moves the limit every reader uses', () => {
    const path = file('two-mib.csv', 'x\n' + '1234567\n'.repeat(300_000));
    setInputLimitMb(1);
    expect(inputLimitBytes()).toBe(MiB);
    expect(() => readNumericCsv(path, ['x'])).toThrow(/two-mib\.csv: 2\.3 MiB, more than the 1 MiB/);
    setInputLimitMb(3);
    expect(readNumericCsv(path, ['x'])).toHaveLength(300_000);
    expect(() => setInputLimitMb(0)).toThrow(RangeError);
  });

  it('stops reading at the limit when the size is not known up front', () => {
    setInputLimitMb(1);
    expect(() => readFileBounded('/dev/zero')).toThrow(/\/dev\/zero: more than 1 MiB, more than the 1 MiB/);
    expect(readFileBounded('/dev/null')).toHaveLength(0);
  });

  it('reads text without its byte-order mark and refuses what is not UTF-8', () => {
    expect(readTextBounded(file('bom.txt', '\uFEFF{"a": 1}'))).toBe('{"a": 1}');
    expect(() => readTextBounded(file('bad.txt', Buffer.from([0xff, 0xfe, 0x00])))).toThrow(
      /bad\.txt: not UTF-8 text/,
    );
  });
});
