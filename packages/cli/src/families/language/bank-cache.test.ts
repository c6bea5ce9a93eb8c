import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanguageBank } from '@hypermeta/core';
import { afterAll, describe, expect, it } from 'vitest';
import { bankCachePath, cachedBank } from './bank-cache.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-bank-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const languages = [
  { label: 'spa', texts: ['la casa de la señora es grande'] },
  { label: 'eng', texts: ['the house of the lady is big'] },
];
const key = { labels: ['spa', 'eng'], order: 3, source: 'test 1' };

/** A build that counts its calls. */
function counted(): { build: () => Promise<LanguageBank>; calls: () => number } {
  let n = 0;
  return { build: async () => (n++, new LanguageBank(languages, 3)), calls: () => n };
}

describe('cachedBank', () => {
  it('builds once, then reads the kept bank, which scores as the built one', async () => {
    const path = bankCachePath(join(tmp, 'a', 'nested'), key);
    const c = counted();
    const first = await cachedBank(path, key, c.build);
    expect(first.origin).toBe('built');
    expect(statSync(path).size).toBeGreaterThan(0);
    const second = await cachedBank(path, key, c.build);
    expect(second.origin).toBe('cache');
    expect(c.calls()).toBe(1);
    expect(second.bank.labels).toEqual(['spa', 'eng']);
    expect(second.bank.nearest(['la casa'], 2)).toEqual(first.bank.nearest(['la casa'], 2));
  });

  it('names the file by everything the counts depend on', () => {
    const path = bankCachePath(tmp, key);
    expect(bankCachePath(tmp, { ...key })).toBe(path);
    expect(bankCachePath(tmp, { ...key, order: 4 })).not.toBe(path);
    expect(bankCachePath(tmp, { ...key, labels: ['eng', 'spa'] })).not.toBe(path);
    expect(bankCachePath(tmp, { ...key, source: 'test 2' })).not.toBe(path);
  });

  it('replaces a kept file that is damaged or holds other languages', async () => {
    const path = bankCachePath(join(tmp, 'b'), key);
    const c = counted();
    await cachedBank(path, key, c.build);
    const good = readFileSync(path);
    writeFileSync(path, good.subarray(0, good.length - 100));
    expect((await cachedBank(path, key, c.build)).origin).toBe('built');
    expect(readFileSync(path)).toEqual(good);
    // a file under this key that holds another bank (a hash collision, or a hand copy)
    const other = bankCachePath(join(tmp, 'b2'), { ...key, labels: ['eng'] });
    await cachedBank(other, { ...key, labels: ['eng'] }, async () => new LanguageBank([languages[1]], 3));
    writeFileSync(path, readFileSync(other));
    expect((await cachedBank(path, key, c.build)).origin).toBe('built');
    expect(c.calls()).toBe(3);
  });

  it('still gives the bank where it cannot be kept, with one line saying why', async () => {
    const blocked = join(tmp, 'blocked');
    writeFileSync(blocked, 'a file where the cache folder should be');
    const warnings: string[] = [];
    const r = await cachedBank(bankCachePath(blocked, key), key, counted().build, (l) => warnings.push(l));
    expect(r.origin).toBe('built');
    expect(r.bank.labels).toEqual(['spa', 'eng']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /could not keep the language bank at .*blocked.*: a file is in the way \(EEXIST\); it is built again/,
    );
    // a folder it may not write in (root may write anywhere: checked only where the mode binds)
    const readOnly = join(tmp, 'read-only');
    const path = bankCachePath(readOnly, key);
    await cachedBank(path, key, counted().build, () => undefined);
    rmSync(path);
    chmodSync(readOnly, 0o500);
    const lines: string[] = [];
    const again = await cachedBank(path, key, counted().build, (l) => lines.push(l));
    expect(again.origin).toBe('built');
    if (process.getuid?.() !== 0) expect(lines[0]).toMatch(/permission denied \(EACCES\)/);
    chmodSync(readOnly, 0o700);
  });
});
