import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { csvText, writeCsv } from './csv-write.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-csv-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const awkward = [
  'plain',
  'a,b',
  'say "hi"',
  'two\nlines',
  'carriage\rreturn',
  ' spaced ',
  '',
  'ünï,cödé "ok"\r\n',
];

describe('csvText', () => {
  it('quotes labels and file names with commas, quotes and line breaks so they read back as they were', () => {
    const rows = awkward.map((s, i) => [`${s}.png`, s, (i / 10).toFixed(6)]);
    const text = csvText(['file', 'label', 'score'], rows);
    expect(parse(text)).toEqual([['file', 'label', 'score'], ...rows]);
    expect(
      text.startsWith(
        'file,label,score\nplain.png,plain,0.000000\n"a,b.png","a,b",0.100000\n"say ""hi"".png","say ""hi""",',
      ),
    ).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes numbers as String(n) does', () => {
    expect(
      csvText(
        ['x', 'y'],
        [
          [0.1, -2.5e-7],
          [-0, 1e21],
        ],
      ),
    ).toBe('x,y\n0.1,-2.5e-7\n0,1e+21\n');
  });
});

describe('writeCsv', () => {
  const listing = () => readdirSync(tmp).sort();

  it('writes the file whole, replacing an old one', () => {
    const out = join(tmp, 'pred.csv');
    writeFileSync(out, 'old');
    writeCsv(out, ['a'], [['x,y']]);
    expect(readFileSync(out, 'utf8')).toBe('a\n"x,y"\n');
    expect(listing()).toEqual(['pred.csv']);
  });

  it('refuses a folder, a missing parent, a file as a folder, a link loop: one line naming the path, nothing written', () => {
    mkdirSync(join(tmp, 'a-folder'));
    writeFileSync(join(tmp, 'a-file'), 'keep');
    symlinkSync('loop-b', join(tmp, 'loop-a'));
    symlinkSync('loop-a', join(tmp, 'loop-b'));
    const before = listing();
    const cases: [string, RegExp][] = [
      [join(tmp, 'a-folder'), /^cannot write .*a-folder: it is a folder \(name a file\)$/],
      [
        join(tmp, 'missing', 'pred.csv'),
        /^cannot write .*missing\/pred\.csv: the folder .*missing does not exist$/,
      ],
      [
        join(tmp, 'a-file', 'pred.csv'),
        /^cannot write .*a-file\/pred\.csv: a part of the path is a file, not a folder$/,
      ],
      [
        join(tmp, 'loop-a', 'pred.csv'),
        /^cannot write .*loop-a\/pred\.csv: too many levels of symbolic links$/,
      ],
    ];
    for (const [out, message] of cases) {
      expect(() => writeCsv(out, ['a'], [['1']]), out).toThrow(DataError);
      expect(() => writeCsv(out, ['a'], [['1']]), out).toThrow(message);
    }
    expect(listing()).toEqual(before);
    expect(readdirSync(join(tmp, 'a-folder'))).toEqual([]);
    expect(readFileSync(join(tmp, 'a-file'), 'utf8')).toBe('keep');
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder it may not write to', () => {
    const locked = join(tmp, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    expect(() => writeCsv(join(locked, 'pred.csv'), ['a'], [])).toThrow(
      /^cannot write .*locked\/pred\.csv: permission denied$/,
    );
  });
});
