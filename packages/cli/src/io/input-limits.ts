import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError } from '@hypermeta/core';

const MiB = 1024 * 1024;

/**
 * Default size limit, in MiB, of one input: a CSV or text file, an image file, a zip archive, and
 * the sum of a zip archive's entries once inflated. The Omniglot archives are 10 MB and inflate to
 * about 20 MB; 256 MiB leaves room for data sets ten times larger while keeping the worst accepted
 * input within about 1 GiB of memory (docs/RELIABILITY.md, "Input limits"). `--max-input-mb` raises it.
 */
export const DEFAULT_MAX_INPUT_MB = 256;

/** The most `--max-input-mb` accepts: inputs are read whole, and Node reads at most 2 GiB into one buffer. */
export const MAX_INPUT_MB_CEILING = 2047;

let limitBytes = DEFAULT_MAX_INPUT_MB * MiB;

/** The size limit of one input, in bytes (DEFAULT_MAX_INPUT_MB unless `--max-input-mb` changed it). */
export function inputLimitBytes(): number {
  return limitBytes;
}

/** Sets the limit for the rest of the process (the `--max-input-mb` parser calls it). */
export function setInputLimitMb(mb: number): void {
  if (!Number.isInteger(mb) || mb < 1 || mb > MAX_INPUT_MB_CEILING)
    throw new RangeError(`input limit must be 1 to ${MAX_INPUT_MB_CEILING} MiB, got ${mb}`);
  limitBytes = mb * MiB;
}

/** `12.3 MiB` (or bytes below 1 MiB): sizes in messages. */
export function formatBytes(n: number): string {
  return n < MiB ? `${n} bytes` : `${(n / MiB).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/** The one line for an input over the limit; `what` says what was measured ("300 MiB", "inflates to 300 MiB"). */
export function tooLarge(name: string, what: string, limit = limitBytes): DataError {
  return new DataError(
    `${name}: ${what}, more than the ${formatBytes(limit)} an input may have (--max-input-mb raises the limit)`,
  );
}

/**
 * Reads a whole file, refusing it before reading when it is larger than `limit`, and stopping at
 * `limit` + 1 bytes when the size is not known up front (a pipe, a device) or the file grew.
 * Only the size refusal is a DataError: file-system errors are thrown as they are, for the caller
 * to word (a missing file, a folder, no permission).
 */
export function readFileBounded(path: string, limit = limitBytes): Buffer {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > limit) throw tooLarge(path, formatBytes(st.size), limit);
    let buf = Buffer.allocUnsafe(st.isFile() ? Math.min(st.size, limit) + 1 : Math.min(64 * 1024, limit + 1));
    let at = 0;
    for (;;) {
      if (at === buf.length) {
        if (at > limit) throw tooLarge(path, `more than ${formatBytes(limit)}`, limit);
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit + 1));
        buf.copy(bigger, 0, 0, at);
        buf = bigger;
      }
      const n = readSync(fd, buf, at, buf.length - at, null);
      if (n === 0) break;
      at += n;
    }
    if (at > limit) throw tooLarge(path, `more than ${formatBytes(limit)}`, limit);
    return buf.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * A UTF-8 text file, bounded like readFileBounded. A leading byte-order mark (what spreadsheet
 * programs write) is dropped; bytes that are not UTF-8 are a DataError.
 */
export function readTextBounded(path: string, limit = limitBytes): string {
  const bytes = readFileBounded(path, limit);
  if (!isUtf8(bytes)) throw new DataError(`${path}: not UTF-8 text`);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}
