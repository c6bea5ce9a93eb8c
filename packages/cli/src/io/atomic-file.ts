import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

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

/** Replaces a file in one rename after flushing the new content: a kill leaves the old or the new file, never a mix. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeDurable(tmp, Buffer.from(text, 'utf8'));
  renameSync(tmp, path);
}
