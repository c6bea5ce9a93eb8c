import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectUserError } from './harness.js';

// The input readers through the built binary: limits, byte-order marks, decimal cells, CSV output.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const OMNIGLOT = resolve(fileURLToPath(new URL('../../../../../shared/data/omniglot', import.meta.url)));
const MiB = 1024 * 1024;

const files: Record<string, string> = {
  'bom.csv': '\uFEFFx,y\r\n0,0.5\r\n1,0.8\r\n',
  'hex.csv': 'x,y\n0x10,1\n',
  'binary.csv': 'x,y\n1,0b11\n',
  'infinity.csv': 'x,y\n1,Infinity\n',
  'empty-cell.csv': 'x,y\n1,\n',
  'query-hex.csv': 'x\n0o7\n',
};

describe('input limits through the binary (sinusoid adapt)', () => {
  beforeAll(() => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
    writeFileSync(join(tmp, 'huge.csv'), 'x,y\n1,2\n');
    truncateSync(join(tmp, 'huge.csv'), 300 * MiB); // sparse: no disk space, but 300 MiB to a reader
    writeFileSync(join(tmp, 'rows.csv'), 'x,y\n' + '1,2\n'.repeat(1_000_001));
    const r = cli(tmp, 'train', '--steps', '2', '--meta-batch', '2', '--out', 'run');
    expect(r.code, r.err).toBe(0);
  });

  const adapt = (...args: string[]) => cli(tmp, 'adapt', '--checkpoint', 'run', ...args);

  it('accepts a CSV that starts with a UTF-8 byte-order mark', () => {
    const r = adapt('--support', 'bom.csv');
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe('x,y');
    expect(r.out.trim().split('\n')).toHaveLength(102);
  });

  it.each([
    [
      'a 300 MiB CSV, refused before it is read',
      ['--support', 'huge.csv'],
      /huge\.csv: 300 MiB, more than the 256 MiB an input may have \(--max-input-mb raises the limit\)$/,
    ],
    ['a CSV of 1,000,001 rows', ['--support', 'rows.csv'], /rows\.csv: more than 1000000 data rows$/],
    ['0x10 in a cell', ['--support', 'hex.csv'], /hex\.csv: line 2, column x: '0x10' is not a finite number/],
    [
      '0b11 in a cell',
      ['--support', 'binary.csv'],
      /binary\.csv: line 2, column y: '0b11' is not a finite number/,
    ],
    ['Infinity in a cell', ['--support', 'infinity.csv'], /'Infinity' is not a finite number/],
    ['an empty cell', ['--support', 'empty-cell.csv'], /line 2, column y: '' is not a finite number/],
    [
      '0o7 in a query file',
      ['--support', 'bom.csv', '--query', 'query-hex.csv'],
      /query-hex\.csv: line 2, column x: '0o7' is not a finite number/,
    ],
  ])('%s: one line, exit code 2', (_name, args, pattern) => {
    expectUserError(adapt(...args), pattern);
  });
});

/** A 28 x 28 PNG with one bar: position `k` tells the classes apart. */
function barPng(k: number): Buffer {
  const p = new pngjs.PNG({ width: 28, height: 28 });
  p.data.fill(255);
  for (let y = 4; y < 24; y++)
    for (let x = 4 + 6 * k; x < 8 + 6 * k; x++) p.data.fill(0, (y * 28 + x) * 4, (y * 28 + x) * 4 + 3);
  return pngjs.PNG.sync.write(p);
}

describe.skipIf(!existsSync(join(OMNIGLOT, 'images_background_small1.zip')))(
  'omniglot adapt writes quoted CSV through one atomic helper',
  () => {
    const labels = ['plain', 'a,b', 'say "hi"', 'two\nlines'];
    const queries = ['q,1.png', 'q "2".png', 'q\n3.png', 'q4.png'];
    beforeAll(() => {
      const r = cli(
        tmp,
        'train',
        '--task',
        'omniglot',
        '--data-dir',
        OMNIGLOT,
        '--cache-dir',
        'omniglot-cache',
        '--steps',
        '1',
        '--filters',
        '4',
        '--ways',
        '5',
        '--meta-batch',
        '1',
        '--queries',
        '1',
        '--out',
        'omni',
      );
      expect(r.code, r.err).toBe(0);
      labels.forEach((l, k) => {
        mkdirSync(join(tmp, 'support', l), { recursive: true });
        writeFileSync(join(tmp, 'support', l, 'shot.png'), barPng(k));
      });
      mkdirSync(join(tmp, 'query'));
      queries.forEach((q, k) => writeFileSync(join(tmp, 'query', q), barPng(k)));
      mkdirSync(join(tmp, 'out-folder'));
    });
    const adapt = (...args: string[]) =>
      cli(tmp, 'adapt', '--checkpoint', 'omni', '--support', 'support', '--query', 'query', ...args);

    it('labels and file names with commas, quotes and line breaks read back through csv-parse', () => {
      const r = adapt('--out', 'labels.csv');
      expect(r.code, r.err).toBe(0);
      const rows = parse(readFileSync(join(tmp, 'labels.csv'))) as string[][];
      expect(rows[0]).toEqual(['file', 'label', 'score']);
      expect(rows.slice(1).map((row) => row[0])).toEqual([...queries].sort());
      for (const row of rows.slice(1)) {
        expect(row).toHaveLength(3);
        expect(labels).toContain(row[1]);
        expect(Number(row[2])).toBeGreaterThan(0);
      }
      const stdout = adapt();
      expect(stdout.code, stdout.err).toBe(0);
      expect(stdout.out).toBe(readFileSync(join(tmp, 'labels.csv'), 'utf8'));
    });

    it.each([
      [
        '--out that is a folder',
        'out-folder',
        /^hypermeta: cannot write out-folder: it is a folder \(name a file\)$/,
      ],
      [
        '--out under a missing folder',
        join('missing', 'labels.csv'),
        /^hypermeta: cannot write missing\/labels\.csv: the folder missing does not exist$/,
      ],
    ])('%s: one line naming the path, exit code 2, nothing written', (_name, out, pattern) => {
      const before = readdirSync(tmp).sort();
      expectUserError(adapt('--out', out), pattern);
      expect(readdirSync(tmp).sort()).toEqual(before);
      expect(readdirSync(join(tmp, 'out-folder'))).toEqual([]);
    });
  },
);
