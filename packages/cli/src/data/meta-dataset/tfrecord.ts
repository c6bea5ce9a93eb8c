import { open, type FileHandle } from 'node:fs/promises';
import { DataError } from '@hypermeta/core';
import { lazyModule } from '../../lazy-module.js';

const crc = lazyModule<typeof import('@node-rs/crc32')>('@node-rs/crc32');

/**
 * TFRecord framing, as TensorFlow's TFRecordWriter writes it (uncompressed):
 *
 *   uint64  length          little-endian
 *   uint32  masked_crc32c(length bytes)
 *   byte    data[length]
 *   uint32  masked_crc32c(data)
 *
 * with masked_crc = ((crc >>> 15) | (crc << 17)) + 0xa282ead8 (mod 2^32).
 */
export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;

/** Default for the longest record read: 16 MiB, far above any image Meta-Dataset stores. */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

/** TensorFlow's CRC mask (crc32c.h): rotate right by 15 bits and add a constant. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc().crc32c(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}

/** One record framed as TFRecordWriter frames it; `length` overrides the length field (tests use it to fake a header). */
export function frameTfRecord(data: Uint8Array, length: bigint = BigInt(data.length)): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeBigUInt64LE(length, 0);
  head.writeUInt32LE(maskedCrc32c(head.subarray(0, 8)), 8);
  const tail = Buffer.alloc(FOOTER_BYTES);
  tail.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([head, data, tail]);
}

export interface TfRecord {
  /** Byte offset of the record's header in the file. */
  offset: number;
  /** The record's payload (a view into a reused buffer: copy it to keep it past the next record). */
  data: Uint8Array;
}

export interface ReadTfRecordsOptions {
  /** Longest payload accepted, in bytes; a longer one is refused from its header, before it is read. */
  maxRecordBytes?: number;
  /** Stop after this many records (the rest of the file is not read or checked). */
  maxRecords?: number;
}

/** Ways a record can be damaged; each one throws a DataError naming the file and the record's byte offset. */
function damaged(file: string, offset: number, what: string): DataError {
  return new DataError(`${file}: TFRecord at byte offset ${offset}: ${what}`);
}

/**
 * The records of an uncompressed TFRecord file, in order, each checked against both of its
 * CRC32C checksums. The file is read in chunks, so a file of any size takes little memory; a
 * record longer than `maxRecordBytes` is refused from its (checksummed) header before its
 * payload is read. A truncated file, a checksum that does not match and an over-long record
 * each throw one DataError naming the file and the byte offset of the record.
 */
export async function* readTfRecords(
  file: string,
  options: ReadTfRecordsOptions = {},
): AsyncGenerator<TfRecord> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxRecords = options.maxRecords ?? Infinity;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    throw new DataError(`cannot read ${file} (${(e as Error).message})`);
  }
  try {
    const size = (await handle.stat()).size;
    const reader = new ChunkReader(handle, file, size);
    let offset = 0;
    for (let n = 0; n < maxRecords && offset < size; n++) {
      if (size - offset < HEADER_BYTES) {
        throw damaged(
          file,
          offset,
          `truncated: the file ends ${size - offset} bytes into the ${HEADER_BYTES}-byte record header`,
        );
      }
      const header = await reader.bytes(offset, HEADER_BYTES);
      const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
      const lengthCrc = view.getUint32(8, true);
      if (maskedCrc32c(header.subarray(0, 8)) !== lengthCrc) {
        throw damaged(file, offset, 'the CRC32C of the length field does not match (the file is corrupted)');
      }
      const length = view.getBigUint64(0, true);
      if (length > BigInt(maxRecordBytes)) {
        throw damaged(
          file,
          offset,
          `the record is ${length} bytes long, more than the ${maxRecordBytes} bytes a record may have`,
        );
      }
      const len = Number(length);
      const end = offset + HEADER_BYTES + len + FOOTER_BYTES;
      if (end > size) {
        throw damaged(
          file,
          offset,
          `truncated: the record needs ${HEADER_BYTES + len + FOOTER_BYTES} bytes but the file ends after ${size - offset}`,
        );
      }
      const body = await reader.bytes(offset + HEADER_BYTES, len + FOOTER_BYTES);
      const data = body.subarray(0, len);
      const dataCrc = new DataView(body.buffer, body.byteOffset + len, FOOTER_BYTES).getUint32(0, true);
      if (maskedCrc32c(data) !== dataCrc) {
        throw damaged(file, offset, 'the CRC32C of the record data does not match (the file is corrupted)');
      }
      yield { offset, data };
      offset = end;
    }
  } finally {
    await handle.close();
  }
}

/** Sequential reads through one reused buffer; a request larger than the buffer grows it. */
class ChunkReader {
  private buf = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private start = 0;
  private filled = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    private readonly size: number,
  ) {}

  /** `n` bytes at file offset `at`, which the caller has checked lie inside the file. */
  async bytes(at: number, n: number): Promise<Uint8Array> {
    if (at >= this.start && at + n <= this.start + this.filled)
      return this.buf.subarray(at - this.start, at - this.start + n);
    const want = Math.min(Math.max(n, CHUNK_BYTES), this.size - at);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(Math.max(want, CHUNK_BYTES));
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.handle.read(this.buf, got, want - got, at + got);
      if (bytesRead === 0) break; // the file shrank while being read
      got += bytesRead;
    }
    this.start = at;
    this.filled = got;
    if (got < n)
      throw new DataError(
        `${this.file}: the file ended at byte ${at + got}, before the ${this.size} bytes it had when opened (was it changed while being read?)`,
      );
    return this.buf.subarray(0, n);
  }
}
