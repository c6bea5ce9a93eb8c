import { unzipSync } from 'fflate';
import { DataError } from '@hypermeta/core';

/** Largest single entry we will inflate; guards against zip bombs (Omniglot PNGs are < 1 KiB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

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
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..') || name.includes('\0')) {
    throw new DataError(`${zipName}: unsafe zip entry "${raw}" (absolute path or ".." segment)`);
  }
  return name;
}

/** macOS archive litter that is never data. */
export function isJunkPath(name: string): boolean {
  return name.split('/').some((part) => part === '__MACOSX' || (part.startsWith('.') && part !== '.'));
}

/**
 * Reads a whole archive in memory and inflates the entries `want` accepts.
 * Every entry name is validated, including the ones not inflated.
 */
export function readZip(zipName: string, bytes: Uint8Array, want: (name: string) => boolean): ZipEntry[] {
  const names = new Map<string, string>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const name = safeEntryName(zipName, f.name);
        if (name.endsWith('/') || isJunkPath(name) || !want(name)) return false;
        if (f.originalSize > MAX_ENTRY_BYTES) {
          throw new DataError(`${zipName}: entry "${f.name}" is ${f.originalSize} bytes when inflated (limit ${MAX_ENTRY_BYTES})`);
        }
        names.set(f.name, name);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${zipName}: not a readable zip archive (${(e as Error).message})`);
  }
  return Object.entries(files).map(([raw, data]) => ({ name: names.get(raw) ?? raw, data }));
}
