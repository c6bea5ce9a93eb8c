import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { decodeExample } from './example-proto.js';
import { frameTfRecord as frame, maskCrc, maskedCrc32c, readTfRecords } from './tfrecord.js';

const TINY = fileURLToPath(new URL('./fixtures/tiny', import.meta.url));
interface ExpectedClass {
  id: number;
  records: Array<{ offset: number; length: number }>;
}
const expected = JSON.parse(readFileSync(join(TINY, 'expected.json'), 'utf8')) as {
  classes: ExpectedClass[];
};
const work = mkdtempSync(join(tmpdir(), 'tfrecord-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function readAll(file: string, options = {}) {
  const out: Array<{ offset: number; data: Uint8Array }> = [];
  for await (const r of readTfRecords(file, options))
    out.push({ offset: r.offset, data: Uint8Array.from(r.data) });
  return out;
}

/** A copy of a fixture file, changed by `edit`, in the test's own folder. */
function corrupted(name: string, edit: (bytes: Buffer) => Buffer | void): string {
  const file = join(work, name);
  const bytes = readFileSync(join(TINY, '0.tfrecords'));
  writeFileSync(file, edit(bytes) ?? bytes);
  return file;
}

async function dataError(file: string, options = {}): Promise<DataError> {
  try {
    await readAll(file, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error(`${file} was read without an error`);
}

describe('readTfRecords', () => {
  it('computes CRC32C and TensorFlow’s mask', () => {
    // the CRC32C check value (RFC 3720) and the masked CRC of an empty record's zero length
    expect(maskedCrc32c(new TextEncoder().encode('123456789'))).toBe(maskCrc(0xe3069283));
    expect(maskCrc(0)).toBe(0xa282ead8);
  });

  it('reads every record TensorFlow wrote, at the offsets its framing gives', async () => {
    for (const cls of expected.classes) {
      const records = await readAll(join(TINY, `${cls.id}.tfrecords`));
      expect(records.map((r) => ({ offset: r.offset, length: r.data.length }))).toEqual(cls.records);
      for (const r of records) {
        const f = decodeExample(r.data);
        expect(f.get('label')).toEqual({ kind: 'int64', value: [BigInt(cls.id)] });
        expect(f.get('image')?.kind).toBe('bytes');
      }
    }
  });

  it('stops after maxRecords, reads an empty file as no records', async () => {
    expect((await readAll(join(TINY, '3.tfrecords'), { maxRecords: 2 })).map((r) => r.offset)).toEqual(
      expected.classes[3].records.slice(0, 2).map((r) => r.offset),
    );
    const empty = join(work, 'empty.tfrecords');
    writeFileSync(empty, '');
    expect(await readAll(empty)).toEqual([]);
  });

  const [, second, third] = expected.classes[0].records;

  it('refuses a flipped byte in the data CRC, naming the file and the record offset', async () => {
    const file = corrupted('data-crc.tfrecords', (b) => {
      b[second.offset + 12 + second.length + 1] ^= 0x40;
    });
    const e = await dataError(file);
    expect(e.message).toContain(file);
    expect(e.message).toContain(`byte offset ${second.offset}`);
    expect(e.message).toMatch(/CRC32C of the record data does not match/);
  });

  it('refuses a flipped byte in the data itself', async () => {
    const file = corrupted('data-byte.tfrecords', (b) => {
      b[third.offset + 12 + 40] ^= 0x01;
    });
    expect((await dataError(file)).message).toMatch(
      new RegExp(`byte offset ${third.offset}: the CRC32C of the record data`),
    );
  });

  it('refuses a wrong length CRC and a changed length', async () => {
    const crc = corrupted('length-crc.tfrecords', (b) => {
      b[second.offset + 9] ^= 0x10;
    });
    expect((await dataError(crc)).message).toBe(
      `${crc}: TFRecord at byte offset ${second.offset}: the CRC32C of the length field does not match (the file is corrupted)`,
    );
    const length = corrupted('length.tfrecords', (b) => {
      b[third.offset] += 1;
    });
    expect((await dataError(length)).message).toMatch(
      new RegExp(`byte offset ${third.offset}: the CRC32C of the length field`),
    );
  });

  it('refuses a truncated file: inside a record’s data and inside a header', async () => {
    const inData = corrupted('cut-data.tfrecords', () => {});
    truncateSync(inData, third.offset + 12 + 100);
    const e = await dataError(inData);
    expect(e.message).toBe(
      `${inData}: TFRecord at byte offset ${third.offset}: truncated: the record needs ${12 + third.length + 4} bytes but the file ends after 112`,
    );
    const inHeader = corrupted('cut-header.tfrecords', () => {});
    truncateSync(inHeader, third.offset + 5);
    expect((await dataError(inHeader)).message).toMatch(
      new RegExp(
        `byte offset ${third.offset}: truncated: the file ends 5 bytes into the 12-byte record header`,
      ),
    );
    // the records before the damage were yielded first
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const r of readTfRecords(inHeader)) seen.push(r.offset);
      })(),
    ).rejects.toThrow(DataError);
    expect(seen).toEqual([0, second.offset]);
  });

  it('refuses a record longer than the limit from its header, before reading the payload', async () => {
    // a well-formed header announcing 1 GiB, followed by 10 bytes: the limit is what refuses it
    const file = join(work, 'huge.tfrecords');
    writeFileSync(
      file,
      Buffer.concat([frame(new Uint8Array(3)), frame(new Uint8Array(10), 1n << 30n).subarray(0, 22)]),
    );
    const e = await dataError(file);
    expect(e.message).toBe(
      `${file}: TFRecord at byte offset 19: the record is 1073741824 bytes long, more than the 16777216 bytes a record may have`,
    );
    const small = join(work, 'limit.tfrecords');
    copyFileSync(join(TINY, '0.tfrecords'), small);
    expect((await dataError(small, { maxRecordBytes: 205 })).message).toMatch(
      new RegExp(
        `byte offset ${second.offset}: the record is ${second.length} bytes long, more than the 205 bytes`,
      ),
    );
  });

  it('says which file it cannot open', async () => {
    const missing = join(work, 'no-such.tfrecords');
    expect((await dataError(missing)).message).toMatch(new RegExp(`cannot read ${missing}`));
  });
});
