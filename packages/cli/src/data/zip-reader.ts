import { inflateRawSync } from 'node:zlib';
import { DataError } from '@hypermeta/core';
import { formatBytes, inputLimitBytes, tooLarge } from '../io/input-limits.js';

export interface ZipEntry {
  /** Normalised path inside the archive, '/'-separated. */
  name: string;
  data: Uint8Array;
}

/**
 * Returns the entry name with '/' separators, or throws if it could escape a target folder.
 * We never extract to disk, but names flow into labels and cache metadata, so reject them early.
 */
export function safeEntryName(zipName: string, raw: string): string {
  const name = raw.replace(/\\/g, '/');
  if (
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').includes('..') ||
    name.includes('\0')
  ) {
    throw new DataError(`${zipName}: unsafe zip entry "${raw}" (absolute path or ".." segment)`);
  }
  return name;
}

/** macOS archive litter that is never data. */
export function isJunkPath(name: string): boolean {
  return name.split('/').some((part) => part === '__MACOSX' || (part.startsWith('.') && part !== '.'));
}

/** One central-directory record: what the archive declares about an entry. */
interface DirEntry {
  raw: string;
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  /** The inflated size the archive declares; checked against the bytes actually inflated. */
  size: number;
  localOffset: number;
}

class Damaged extends Error {}

const u16 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number): number =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 0x100000000;
const FULL32 = 0xffffffff;
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
const utf8 = new TextDecoder();

function need(bytes: Uint8Array, end: number, what: string): void {
  if (end > bytes.length) throw new Damaged(`${what} runs past the end of the file`);
}

/** The central directory (where the end record points), without inflating anything. */
function readDirectory(bytes: Uint8Array): DirEntry[] {
  let e = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 0xffff); // the end record sits within a 64 KiB comment of the end
  while (e >= stop && u32(bytes, e) !== 0x06054b50) e--;
  if (e < stop) throw new Damaged('no end-of-central-directory record');
  let count = u16(bytes, e + 10);
  let at = u32(bytes, e + 16);
  if (e >= 20 && u32(bytes, e - 20) === 0x07064b50) {
    const z = u64(bytes, e - 12);
    need(bytes, z + 56, 'the zip64 end record');
    if (u32(bytes, z) !== 0x06064b50) throw new Damaged('bad zip64 end record');
    count = u64(bytes, z + 32);
    at = u64(bytes, z + 48);
  }
  const entries: DirEntry[] = [];
  for (let i = 0; i < count; i++) {
    need(bytes, at + 46, 'the central directory');
    if (u32(bytes, at) !== 0x02014b50) throw new Damaged('bad central directory record');
    const flags = u16(bytes, at + 8);
    const nameLen = u16(bytes, at + 28);
    const extraLen = u16(bytes, at + 30);
    const next = at + 46 + nameLen + extraLen + u16(bytes, at + 32);
    need(bytes, next, 'the central directory');
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLen);
    let size = u32(bytes, at + 24);
    let compressedSize = u32(bytes, at + 20);
    let localOffset = u32(bytes, at + 42);
    if (size === FULL32 || compressedSize === FULL32 || localOffset === FULL32) {
      // zip64: the real values are in the 0x0001 extra field, in this order, only those that overflowed
      const extraEnd = at + 46 + nameLen + extraLen;
      for (let x = at + 46 + nameLen; x + 4 <= extraEnd; x += 4 + u16(bytes, x + 2)) {
        if (u16(bytes, x) !== 1) continue;
        let f = x + 4;
        const take = (): number => {
          if (f + 8 > Math.min(extraEnd, x + 4 + u16(bytes, x + 2)))
            throw new Damaged('bad zip64 extra field');
          f += 8;
          return u64(bytes, f - 8);
        };
        if (size === FULL32) size = take();
        if (compressedSize === FULL32) compressedSize = take();
        if (localOffset === FULL32) localOffset = take();
        break;
      }
    }
    const raw = flags & 0x800 ? utf8.decode(nameBytes) : latin1(nameBytes);
    entries.push({ raw, name: raw, method: u16(bytes, at + 10), flags, compressedSize, size, localOffset });
    at = next;
  }
  return entries;
}

/**
 * Inflates one entry into exactly the bytes the directory declares: an entry whose data inflates
 * to more stops being inflated at the first byte over (zip bombs lie about their sizes).
 */
function inflateEntry(zipName: string, bytes: Uint8Array, d: DirEntry): Uint8Array {
  const at = d.localOffset;
  need(bytes, at + 30, `entry "${d.raw}"`);
  if (u32(bytes, at) !== 0x04034b50) throw new Damaged(`entry "${d.raw}" has no local header`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  need(bytes, start + d.compressedSize, `entry "${d.raw}"`);
  const src = bytes.subarray(start, start + d.compressedSize);
  if (d.flags & 1) throw new DataError(`${zipName}: entry "${d.raw}" is encrypted`);
  let data: Uint8Array;
  if (d.method === 0) {
    data = src;
  } else if (d.method === 8) {
    try {
      data = inflateRawSync(src, { maxOutputLength: Math.max(1, d.size) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new DataError(
          `${zipName}: entry "${d.raw}" inflates to more than the ${d.size} bytes the archive declares (a damaged archive or a zip bomb)`,
        );
      }
      throw new Damaged(`entry "${d.raw}": ${(e as Error).message}`);
    }
  } else {
    throw new DataError(
      `${zipName}: entry "${d.raw}" uses compression method ${d.method} (only stored and deflate are read)`,
    );
  }
  if (data.length !== d.size)
    throw new DataError(
      `${zipName}: entry "${d.raw}" holds ${data.length} bytes, the archive declares ${d.size} (a damaged archive)`,
    );
  return data;
}

/**
 * Reads a whole archive in memory and inflates the entries `want` accepts. Every entry name is
 * validated, including the ones not inflated. Before anything is inflated, the sizes the archive
 * declares for the wanted entries must sum to at most `maxInflated` bytes; while inflating, no
 * entry may produce more than it declared, so the bytes actually inflated stay within the limit too.
 */
export function readZip(
  zipName: string,
  bytes: Uint8Array,
  want: (name: string) => boolean,
  maxInflated = inputLimitBytes(),
): ZipEntry[] {
  try {
    const wanted = readDirectory(bytes).filter((d) => {
      d.name = safeEntryName(zipName, d.raw);
      return !d.name.endsWith('/') && !isJunkPath(d.name) && want(d.name);
    });
    const declared = wanted.reduce((sum, d) => sum + d.size, 0);
    if (declared > maxInflated)
      throw tooLarge(
        zipName,
        `its ${wanted.length} entries inflate to ${formatBytes(declared)}`,
        maxInflated,
      );
    return wanted.map((d) => ({ name: d.name, data: inflateEntry(zipName, bytes, d) }));
  } catch (e) {
    if (e instanceof Damaged) throw new DataError(`${zipName}: not a readable zip archive (${e.message})`);
    throw e;
  }
}
