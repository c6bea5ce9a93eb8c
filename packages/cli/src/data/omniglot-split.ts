import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AlphabetSplit, splitByAlphabet } from '@hypermeta/core';
import { loadOmniglot } from './omniglot-source.js';

/** Where decoded images are cached: --cache-dir, else $HYPERMETA_CACHE_DIR, else ~/.cache/hypermeta. */
export function defaultCacheDir(): string {
  return process.env.HYPERMETA_CACHE_DIR ?? join(homedir(), '.cache', 'hypermeta');
}

/** Loads the Omniglot images of `dataDir` (cached) and splits them by alphabet. */
export async function loadOmniglotSplit(
  dataDir: string,
  heldOut: number,
  cacheDir = defaultCacheDir(),
): Promise<AlphabetSplit> {
  const set = await loadOmniglot(dataDir, {
    cacheDir,
    onProgress: (p) => {
      if (p.phase === 'cache-miss')
        process.stderr.write(`decoding images of ${resolve(dataDir)} (${p.note ?? 'no cache yet'})…\n`);
    },
  });
  return splitByAlphabet(set, heldOut);
}
