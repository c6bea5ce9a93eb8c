import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { readQueryLines, readTextEpisodeFolder } from './text-folder.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-text-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A fresh folder holding the given files (path -> content). */
function folder(files: Record<string, string | Buffer>): string {
  const root = join(tmp, `f${n++}`);
  mkdirSync(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const GOOD = {
  'support/eng/1.txt': 'All human beings\r\nare born free.',
  'support/eng/2.txt': '\uFEFFEveryone has the right to life.',
  'support/fra/a.txt': 'Tous les êtres humains naissent libres.',
  'support/fra/b.txt': 'Cafe\u0301   au lait\n',
  'query/fra/q.txt': 'Nul ne sera tenu en esclavage.',
  'query/eng/q1.txt': 'No one shall be held in slavery.',
  'query/eng/.DS_Store': 'x',
};

async function refusal(files: Record<string, string | Buffer>): Promise<string> {
  const root = folder(files);
  const err = await readTextEpisodeFolder(root).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  return (err as Error).message.replace(root, '<dir>');
}

describe('readTextEpisodeFolder', () => {
  it('reads support and query label folders, each file one example, BOM and CRLF tolerated', async () => {
    const ep = await readTextEpisodeFolder(folder(GOOD));
    expect(ep).toEqual({
      classes: ['eng', 'fra'],
      supportTexts: [
        'All human beings are born free.',
        'Everyone has the right to life.',
        'Tous les êtres humains naissent libres.',
        'Café au lait',
      ],
      supportLabels: [0, 0, 1, 1],
      queryTexts: ['No one shall be held in slavery.', 'Nul ne sera tenu en esclavage.'],
      queryLabels: [0, 1],
    });
  });

  it('takes a folder without query/ as support only', async () => {
    const { 'query/fra/q.txt': _a, 'query/eng/q1.txt': _b, 'query/eng/.DS_Store': _c, ...support } = GOOD;
    expect((await readTextEpisodeFolder(folder(support))).queryTexts).toEqual([]);
  });

  it('refuses a bad layout with one line naming the path', async () => {
    expect(await refusal({ 'query/eng/q.txt': 'x' })).toMatch(/^<dir>: missing support\/ folder/);
    expect(await refusal({ 'support/a.txt': 'x', 'support/eng/1.txt': 'x' })).toMatch(
      /support: text files must sit in one folder per label/,
    );
    expect(await refusal({ 'support/eng/1.txt': 'x' })).toMatch(/need at least 2 label folders, found 1/);
    expect(await refusal({ ...GOOD, 'support/fra/c.txt': 'x' })).toMatch(/same number .* \(eng: 2, fra: 3\)/);
    expect(await refusal({ ...GOOD, 'support/fra/c.png': 'x' })).toMatch(/fra\/c\.png: not a text file/);
    expect(await refusal({ ...GOOD, 'support/fra/deep/c.txt': 'x' })).toMatch(
      /fra\/deep: unexpected sub-folder/,
    );
    expect(await refusal({ ...GOOD, 'query/deu/q.txt': 'x' })).toMatch(
      /query\/deu: label "deu" has no support/,
    );
    expect(await refusal({ ...GOOD, 'query/q.txt': 'x' })).toMatch(
      /query: text files must sit in one folder/,
    );
    expect(await refusal({ ...GOOD, 'support/fra/b.txt': ' \r\n ' })).toMatch(/fra\/b\.txt: empty example/);
    expect(await refusal({ ...GOOD, 'support/fra/b.txt': Buffer.from([0xff, 0xfe, 0x41]) })).toMatch(
      /fra\/b\.txt: not UTF-8/,
    );
  });

  it('refuses a folder that does not exist', async () => {
    await expect(readTextEpisodeFolder(join(tmp, 'nothing'))).rejects.toThrow(/cannot read folder .*nothing/);
  });
});

describe('readQueryLines', () => {
  it('reads the non-blank lines of a file, BOM and CRLF tolerated', async () => {
    const root = folder({ 'q.txt': '\uFEFFfirst  line\r\n\r\n   \r\nsecond\tline\n' });
    expect(await readQueryLines(join(root, 'q.txt'))).toEqual(['first line', 'second line']);
  });

  it('reads every .txt file of a folder in name order', async () => {
    const root = folder({ 'b.txt': 'three', 'a.txt': 'one\ntwo', '.hidden': 'x' });
    expect(await readQueryLines(root)).toEqual(['one', 'two', 'three']);
  });

  it('refuses missing paths, other files in a folder and input without queries', async () => {
    await expect(readQueryLines(join(tmp, 'none.txt'))).rejects.toThrow(/cannot read queries .*none\.txt/);
    await expect(readQueryLines(folder({ 'a.csv': 'x' }))).rejects.toThrow(/a\.csv: not a text file/);
    const blank = folder({ 'q.txt': '\n  \r\n' });
    await expect(readQueryLines(join(blank, 'q.txt'))).rejects.toThrow(/q\.txt: no queries/);
  });
});
