import { createHash } from 'node:crypto';
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { buildImageSet, DataError, type ImageItem, type ImageSet } from '@hypermeta/core';
import { readFileBounded } from '../io/input-limits.js';
import { readCache, writeCache, type SourceStamp } from './image-cache.js';
import { checkImageSize, decodeImage, isImageName } from './image-decode.js';
import { isJunkPath, readZip } from './zip-reader.js';

export { loadEpisodeFolder, loadImageFile, type FolderEpisode } from './episode-folder.js';

export interface LoadProgress {
  phase: 'scan' | 'cache-hit' | 'cache-miss' | 'decode' | 'cache-write';
  done: number;
  total: number;
  /** Why the cache was not used (cache-miss only). */
  note?: string;
}

export interface LoadOmniglotOptions {
  cacheDir: string;
  /** Side length of the square images; default 28. */
  size?: number;
  onProgress?: (p: LoadProgress) => void;
}

/** A source as found on disk: a zip archive or a folder of loose images. */
interface Source {
  stamp: SourceStamp;
  path: string;
  /** Folders: image paths relative to the data folder. */
  files?: string[];
}

interface Pending {
  alphabet: string;
  character: string;
  key: string;
  label: string;
  bytes: () => Promise<Uint8Array>;
}

const MAX_DEPTH = 8; // deep enough for any sane layout, stops symlink loops

/**
 * Loads Omniglot-layout images (`<Alphabet>/<character>/<image>`) from every zip archive
 * and folder in `dataDir`, decoded to `size` x `size`, ink = 1. The decoded set is cached in
 * `cacheDir`; later loads read the cache unless the sources changed or the cache is damaged.
 */
export async function loadOmniglot(dataDir: string, opts: LoadOmniglotOptions): Promise<ImageSet> {
  const size = opts.size ?? 28;
  checkImageSize(size);
  const report = opts.onProgress ?? (() => {});
  const root = resolve(dataDir);
  const cacheDir = resolve(opts.cacheDir);
  const sources = scanSources(root, cacheDir);
  const stamps = sources.map((s) => s.stamp);
  report({ phase: 'scan', done: sources.length, total: sources.length });

  // one cache per data folder and size, so several data sets can share a cache folder
  const base = `images-${size}px-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
  const cached = await readCache(cacheDir, base, size, stamps);
  if ('set' in cached) {
    report({ phase: 'cache-hit', done: cached.set.classOf.length, total: cached.set.classOf.length });
    return cached.set;
  }
  report({ phase: 'cache-miss', done: 0, total: 0, note: cached.miss });

  const pending = new Map<string, Pending>();
  for (const src of sources) {
    for (const p of await listImages(root, src)) {
      const id = `${p.alphabet}\0${p.character}\0${p.key}`;
      if (!pending.has(id)) pending.set(id, p); // an alphabet shipped in two archives counts once
    }
  }
  if (pending.size === 0) {
    throw new DataError(
      `no images found in ${root}: expected .zip archives or <Alphabet>/<character>/<image> folders`,
    );
  }
  const items: ImageItem[] = [];
  const total = pending.size;
  for (const p of pending.values()) {
    items.push({
      alphabet: p.alphabet,
      character: p.character,
      key: p.key,
      pixels: decodeImage(await p.bytes(), p.label, size),
    });
    if (items.length % 500 === 0 || items.length === total)
      report({ phase: 'decode', done: items.length, total });
  }
  const set = buildImageSet(size, items);
  await writeCache(cacheDir, base, set, stamps);
  report({ phase: 'cache-write', done: total, total });
  return set;
}

/** Alphabet, character and file name from the last three path segments. */
function place(path: string, label: string): { alphabet: string; character: string; key: string } {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length < 3) {
    throw new DataError(`${label}: expected the layout <Alphabet>/<character>/<image>`);
  }
  const [alphabet, character, key] = parts.slice(-3);
  return { alphabet, character, key };
}

async function listImages(root: string, src: Source): Promise<Pending[]> {
  if (src.files) {
    return src.files.map((rel) => {
      const label = rel.split(sep).join('/');
      return { ...place(label, label), label, bytes: async () => readOrFail(join(root, rel)) };
    });
  }
  const bytes = readOrFail(src.path);
  return readZip(src.stamp.name, bytes, isImageName).map((entry) => {
    const label = `${src.stamp.name}:${entry.name}`;
    return { ...place(entry.name, label), label, bytes: async () => entry.data };
  });
}

/** A whole file, at most the input limit in bytes (--max-input-mb). */
function readOrFail(path: string): Buffer {
  try {
    return readFileBounded(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${path} (${(e as Error).message})`);
  }
}

function statOrFail(path: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    throw new DataError(`cannot read ${path} (${(e as Error).message})`);
  }
}

/** Each zip in the data folder is one source, each sub-folder (with all its images) another. */
function scanSources(root: string, cacheDir: string): Source[] {
  if (!statOrFail(root).isDirectory()) throw new DataError(`${root} is not a folder`);
  const sources: Source[] = [];
  const loose: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    if (isJunkPath(name) || path === cacheDir) continue;
    const st = statOrFail(path);
    if (st.isDirectory()) {
      const files = walk(root, path, cacheDir, 1);
      if (files.length) sources.push(folderSource(root, path, files));
    } else if (/\.zip$/i.test(name)) {
      sources.push({ path, stamp: { name, kind: 'zip', size: st.size, mtimeMs: st.mtimeMs } });
    } else if (isImageName(name)) {
      loose.push(name);
    }
  }
  if (loose.length)
    throw new DataError(`${join(root, loose[0])}: expected the layout <Alphabet>/<character>/<image>`);
  if (sources.length === 0) {
    throw new DataError(
      `no Omniglot data in ${root}: expected .zip archives or <Alphabet>/<character>/<image> folders`,
    );
  }
  return sources;
}

function walk(root: string, dir: string, cacheDir: string, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (isJunkPath(name) || path === cacheDir) continue;
    const st = statOrFail(path);
    if (st.isDirectory()) out.push(...walk(root, path, cacheDir, depth + 1));
    else if (isImageName(name)) out.push(relative(root, path));
  }
  return out;
}

function folderSource(root: string, path: string, files: string[]): Source {
  const listing = createHash('sha256');
  let size = 0;
  let mtimeMs = 0;
  for (const rel of files) {
    const st = statOrFail(join(root, rel));
    size += st.size;
    mtimeMs = Math.max(mtimeMs, st.mtimeMs);
    listing.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
  }
  const stamp: SourceStamp = {
    name: basename(path),
    kind: 'dir',
    size,
    mtimeMs,
    files: files.length,
    listing: listing.digest('hex'),
  };
  return { path, stamp, files };
}
