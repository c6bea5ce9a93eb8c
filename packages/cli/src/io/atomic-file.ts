import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from '@hypermeta/core';

/** Writes a whole file and flushes it to disk before returning. */
export function writeDurable(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let at = 0;
    while (at < bytes.byteLength) at += writeSync(fd, bytes, at, bytes.byteLength - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces a file in one rename after flushing the new content: a kill leaves the old or the new
 * file, never a mix. On failure the temporary file is removed and the error thrown as it is.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeDurable(tmp, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** What a failed write of an output file means, in words, by error code. */
const WRITE_PROBLEMS: Record<string, (path: string) => string> = {
  EISDIR: () => 'it is a folder (name a file)',
  ENOENT: (path) => `the folder ${dirname(path)} does not exist`,
  ENOTDIR: () => 'a part of the path is a file, not a folder',
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
  EROFS: () => 'the file system is read-only',
  ENOSPC: () => 'no space left on the device',
  EDQUOT: () => 'the disk quota is used up',
  ELOOP: () => 'too many levels of symbolic links',
  ENAMETOOLONG: () => 'the name is too long',
};

/**
 * Writes a file the user named (an `--out` path) atomically: all of it or, on any failure, nothing
 * and no temporary file. A folder, a missing parent folder, no permission, a full disk or a
 * symbolic-link loop is one DataError line naming the path.
 */
export function writeOutputFile(path: string, data: string | Uint8Array): void {
  const fail = (code: string, message: string) =>
    new DataError(`cannot write ${path}: ${WRITE_PROBLEMS[code]?.(path) ?? message}`);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // a path that does not exist yet (or cannot be looked at) is reported by the write itself
  }
  if (isDir) throw fail('EISDIR', '');
  try {
    writeFileAtomic(path, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      throw fail(code, `${code} (${(e as Error).message})`);
    throw e;
  }
}
