import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DataError,
  LANGUAGE_BANK_FORMAT,
  type LanguageBank,
  languageBankFromBytes,
  languageBankToBytes,
} from '@hypermeta/core';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { fsProblem, isFsError } from '../../io/fs-problem.js';

/**
 * Built language banks kept on disk. Building the bank of the 330 UDHR training languages takes 4
 * to 5.6 s after a 2 s read of the corpus, on every `eval` and `adapt` of a model that uses it;
 * loading a kept one takes a fraction of a second. A kept bank is about 110 MiB; banks are kept
 * where decoded images are (defaultCacheDir: $HYPERMETA_CACHE_DIR, else ~/.cache/hypermeta).
 */

/** What a bank's counts depend on: its languages in order, its n-gram order, and where its text came from. */
export interface BankKey {
  labels: readonly string[];
  order: number;
  /** The text's source and the version of what read it, e.g. `udhr 6.0.0, reader 1`. */
  source: string;
}

/** The file a bank is kept in: named by a hash of its key and of the bank format. */
export function bankCachePath(dir: string, key: BankKey): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ format: LANGUAGE_BANK_FORMAT, ...key }))
    .digest('hex')
    .slice(0, 24);
  return join(dir, `language-bank-${hash}.bin`);
}

/** Whether the bank came from the cache or was built (and, if it could be, kept). */
export type BankOrigin = 'cache' | 'built';

/**
 * The bank kept at `path` where one is there and reads as a bank of `key.labels`; else the one
 * `build` makes, then kept there. A kept file that does not read (cut short, an older format) is
 * replaced. A bank that cannot be kept (no such folder can be made, a read-only disk) is still
 * returned: `warn` gets one line saying why, and the next run builds it again.
 */
export async function cachedBank(
  path: string,
  key: BankKey,
  build: () => Promise<LanguageBank>,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<{ bank: LanguageBank; origin: BankOrigin }> {
  const kept = readKept(path, key);
  if (kept) return { bank: kept, origin: 'cache' };
  const bank = await build();
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, languageBankToBytes(bank));
  } catch (e) {
    if (!isFsError(e)) throw e;
    warn(
      `hypermeta: could not keep the language bank at ${path}: ${fsProblem(e)}; it is built again next time`,
    );
  }
  return { bank, origin: 'built' };
}

function readKept(path: string, key: BankKey): LanguageBank | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  try {
    const bank = languageBankFromBytes(bytes);
    const same =
      bank.order === key.order &&
      bank.labels.length === key.labels.length &&
      bank.labels.every((l, i) => l === key.labels[i]);
    return same ? bank : undefined;
  } catch (e) {
    if (e instanceof DataError) return undefined;
    throw e;
  }
}
