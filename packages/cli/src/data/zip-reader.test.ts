import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { readZip } from './zip-reader.js';

const MiB = 1024 * 1024;
const DATA = fileURLToPath(new URL('../../../../../shared/data/omniglot', import.meta.url));

interface RawEntry {
  name: string;
  /** The entry's real content. */
  content: Uint8Array;
  stored?: boolean;
  /** The inflated size the archive claims (default: the truth). */
  declared?: number;
  /** Write sizes and offset as zip64 (0xffffffff in the record, the values in an extra field). */
  zip64?: boolean;
}

/** A zip archive written byte by byte, so that tests can make it lie about sizes. */
function makeZip(entries: RawEntry[], zip64End = false): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = e.stored ? Buffer.from(e.content) : deflateRawSync(e.content);
    const size = e.declared ?? e.content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.stored ? 0 : 8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const extra = Buffer.alloc(e.zip64 ? 28 : 0);
    if (e.zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(data.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x800, 8);
    dir.writeUInt16LE(e.stored ? 0 : 8, 10);
    dir.writeUInt32LE(e.zip64 ? 0xffffffff : data.length, 20);
    dir.writeUInt32LE(e.zip64 ? 0xffffffff : size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt16LE(extra.length, 30);
    dir.writeUInt32LE(e.zip64 ? 0xffffffff : offset, 42);
    parts.push(local, name, data);
    central.push(dir, name, extra);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (zip64End) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeBigUInt64LE(BigInt(entries.length), 24);
    z.writeBigUInt64LE(BigInt(entries.length), 32);
    z.writeBigUInt64LE(BigInt(cd.length), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(z, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64End ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64End ? 0xffff : entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(zip64End ? 0xffffffff : offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, ...tail, end]));
}

const all = () => true;
const text = (s: string) => new TextEncoder().encode(s);

describe('readZip bounds what it inflates', () => {
  it('refuses before inflating when the declared sizes sum past the limit', () => {
    const zip = makeZip([
      { name: 'a/b/1.png', content: new Uint8Array(600 * 1024) },
      { name: 'a/b/2.png', content: new Uint8Array(600 * 1024) },
    ]);
    expect(() => readZip('big.zip', zip, all, 1 * MiB)).toThrow(
      /^big\.zip: its 2 entries inflate to 1\.2 MiB, more than the 1 MiB an input may have \(--max-input-mb raises the limit\)$/,
    );
    expect(readZip('big.zip', zip, all, 2 * MiB).map((e) => e.data.length)).toEqual([600 * 1024, 600 * 1024]);
  });

  it('refuses entries declaring 2 x 200 MiB under the default 256 MiB limit, allocating nothing', () => {
    const zip = makeZip([
      { name: 'a/b/1.png', content: text('x'), declared: 200 * MiB },
      { name: 'a/b/2.png', content: text('y'), declared: 200 * MiB },
    ]);
    expect(() => readZip('claims.zip', zip, all)).toThrow(
      /claims\.zip: its 2 entries inflate to 400 MiB, more than the 256 MiB/,
    );
  });

  it('stops an entry that inflates to more than it declares (a zip bomb)', () => {
    const zip = makeZip([{ name: 'a/b/bomb.png', content: new Uint8Array(20 * MiB), declared: 1000 }]);
    expect(zip.length).toBeLessThan(40 * 1024);
    expect(() => readZip('bomb.zip', zip, all)).toThrow(
      /bomb\.zip: entry "a\/b\/bomb\.png" inflates to more than the 1000 bytes the archive declares/,
    );
  });

  it('refuses an entry that inflates to less than it declares, or a stored entry of another size', () => {
    expect(() =>
      readZip('short.zip', makeZip([{ name: 'a/b/s.png', content: text('tiny'), declared: 5000 }]), all),
    ).toThrow(/entry "a\/b\/s\.png" holds 4 bytes, the archive declares 5000/);
    expect(() =>
      readZip(
        'stored.zip',
        makeZip([{ name: 'a/b/s.png', content: text('tiny'), stored: true, declared: 9 }]),
        all,
      ),
    ).toThrow(/holds 4 bytes, the archive declares 9/);
  });

  it('counts only the entries it is asked for', () => {
    const zip = makeZip([
      { name: 'a/b/1.png', content: text('png') },
      { name: 'a/b/notes.txt', content: text('t'), declared: 200 * MiB },
    ]);
    expect(readZip('mixed.zip', zip, (n) => n.endsWith('.png')).map((e) => e.name)).toEqual(['a/b/1.png']);
  });

  it('gives a DataError for a damaged archive', () => {
    const zip = makeZip([{ name: 'a/b/1.png', content: new Uint8Array(5000).fill(7) }]);
    for (const bad of [
      zip.subarray(0, 20),
      zip.subarray(0, zip.length - 30),
      Uint8Array.from(zip).fill(0, 30, 60),
    ]) {
      expect(() => readZip('bad.zip', bad, all)).toThrow(DataError);
      expect(() => readZip('bad.zip', bad, all)).toThrow(/^bad\.zip: (not a readable zip archive|entry)/);
    }
  });

  it('reads zip64 records', () => {
    const entries = [
      { name: 'a/b/1.png', content: text('one'), zip64: true },
      { name: 'a/b/2.png', content: text('two two'), stored: true, zip64: true },
    ];
    const got = readZip('z64.zip', makeZip(entries, true), all);
    expect(got.map((e) => [e.name, Buffer.from(e.data).toString()])).toEqual([
      ['a/b/1.png', 'one'],
      ['a/b/2.png', 'two two'],
    ]);
  });

  it('reads what fflate writes exactly as fflate reads it (names, data, junk and folders skipped)', () => {
    const files = {
      'Alpha/c01/x.png': new Uint8Array([1, 2, 3]),
      'Alpha/c01/': new Uint8Array(0),
      '__MACOSX/Alpha/._x.png': new Uint8Array([9]),
      'Älphä/c02/y.png': [new Uint8Array(3000).fill(5), { level: 0 }] as [Uint8Array, { level: 0 }],
      'Alpha/c03/z.png': [new Uint8Array(3000).fill(6), { level: 9 }] as [Uint8Array, { level: 9 }],
    };
    const zip = zipSync(files);
    const expected = Object.entries(unzipSync(zip)).filter(
      ([n]) => !n.endsWith('/') && !n.startsWith('__MACOSX'),
    );
    expect(readZip('f.zip', zip, all).map((e) => [e.name, [...e.data]])).toEqual(
      expected.map(([n, d]) => [n, [...d]]),
    );
  });

  it.skipIf(!existsSync(join(DATA, 'images_background_small1.zip')))(
    'reads the Omniglot archives as fflate does',
    () => {
      for (const name of ['images_background_small1.zip', 'images_background_small2.zip']) {
        const bytes = readFileSync(join(DATA, name));
        const mine = readZip(name, bytes, (n) => n.endsWith('.png'));
        const theirs = Object.entries(unzipSync(bytes)).filter(
          ([n]) => n.endsWith('.png') && !n.split('/').some((p) => p.startsWith('.') || p === '__MACOSX'),
        );
        expect(mine.length).toBeGreaterThan(1000);
        expect(mine.map((e) => e.name)).toEqual(theirs.map(([n]) => n));
        expect(
          mine.every((e, i) => Buffer.compare(Buffer.from(e.data), Buffer.from(theirs[i][1])) === 0),
        ).toBe(true);
      }
    },
  );
});
