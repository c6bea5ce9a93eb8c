import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { classCounts, DataError, fromClassCounts, type ClassCount, type ImageSet } from '@hypermeta/core';
import { writeFileAtomic } from '../io/atomic-file.js';

/** Bump when the binary layout or the image conversion changes, so old caches are rebuilt. */
export const CACHE_FORMAT = 1;

/** What a cache was built from; any difference makes it stale. */
export interface SourceStamp {
  /** Path relative to the data folder. */
  name: string;
  kind: 'zip' | 'dir';
  /** Bytes (a folder: all its image files together). */
  size: number;
  /** Latest modification time in ms. */
  mtimeMs: number;
  /** Folders only: number of image files and sha256 of their path/size/mtime listing. */
  files?: number;
  listing?: string;
}

export interface CacheManifest {
  format: number;
  kind: 'hypermeta-image-set';
  endianness: string;
  size: number;
  sources: SourceStamp[];
  images: number;
  classes: ClassCount[];
  binary: string;
  byteLength: number;
  sha256: string;
}

export type CacheRead = { set: ImageSet } | { miss: string };

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Loads a cached set if its manifest matches `sources` and `size` and the binary's length
 * and checksum are intact; otherwise says why not (for logs), never throws for a bad cache.
 */
export async function readCache(
  dir: string,
  base: string,
  size: number,
  sources: SourceStamp[],
): Promise<CacheRead> {
  let manifest: CacheManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, `${base}.json`), 'utf8')) as CacheManifest;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { miss: code === 'ENOENT' ? 'no cache yet' : 'manifest unreadable' };
  }
  if (manifest?.format !== CACHE_FORMAT || manifest.kind !== 'hypermeta-image-set')
    return { miss: 'old cache format' };
  if (manifest.endianness !== endianness() || manifest.size !== size)
    return { miss: 'built for another size or machine' };
  if (JSON.stringify(manifest.sources) !== JSON.stringify(sources)) return { miss: 'source files changed' };
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, manifest.binary));
  } catch {
    return { miss: 'binary missing' };
  }
  const expected = manifest.images * size * size * 4;
  if (bytes.length !== manifest.byteLength || bytes.length !== expected)
    return { miss: 'binary has the wrong length' };
  if (sha256(bytes) !== manifest.sha256) return { miss: 'binary checksum mismatch' };
  // readFile may hand back a view at an odd offset; Float32Array needs 4-byte alignment
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const pixels = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
  try {
    return { set: fromClassCounts(size, pixels, manifest.classes) };
  } catch {
    return { miss: 'manifest classes do not match the binary' };
  }
}

/**
 * Writes binary then manifest, each to a temp file in the cache folder renamed into place,
 * so readers never see a half-written file and a crash leaves at worst a detectable mismatch.
 */
export async function writeCache(
  dir: string,
  base: string,
  set: ImageSet,
  sources: SourceStamp[],
): Promise<void> {
  const bytes = new Uint8Array(set.pixels.buffer, set.pixels.byteOffset, set.pixels.byteLength);
  const manifest: CacheManifest = {
    format: CACHE_FORMAT,
    kind: 'hypermeta-image-set',
    endianness: endianness(),
    size: set.size,
    sources,
    images: set.classOf.length,
    classes: classCounts(set),
    binary: `${base}.bin`,
    byteLength: bytes.length,
    sha256: sha256(bytes),
  };
  try {
    await mkdir(dir, { recursive: true });
    // Durable like every file the CLI keeps: flushed, then renamed into place (binary first).
    writeFileAtomic(join(dir, manifest.binary), bytes);
    writeFileAtomic(join(dir, `${base}.json`), JSON.stringify(manifest, null, 1) + '\n');
  } catch (e) {
    throw new DataError(
      `cannot write the image cache in ${dir} (${(e as Error).message}); choose another cache folder`,
    );
  }
}
