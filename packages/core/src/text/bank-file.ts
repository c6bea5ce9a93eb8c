import { DataError, HypermetaError } from '../errors/errors.js';
import { LanguageBank } from './language-bank.js';

/**
 * A language bank as one byte array and back, so that a program can keep a built bank and load it
 * in a fraction of the build's time (the 330 UDHR training languages: 4 to 5.6 s to build, about
 * 110 MiB saved). Plain typed arrays: runs in browsers. Layout: an 8-byte magic, the format
 * number, a byte-order mark and the header's length (u32 each), a JSON header (labels, order, the
 * arrays' lengths), then the arrays, each starting at a multiple of 8 bytes.
 */

/**
 * What a saved bank's numbers mean. Bump it whenever what a bank counts (charLmText, the n-gram
 * hashes) or how its arrays are laid out changes: banks saved by an older version are then
 * refused (a DataError) and a program that keeps banks rebuilds them.
 */
export const LANGUAGE_BANK_FORMAT = 1;

const MAGIC = [0x48, 0x4d, 0x42, 0x41, 0x4e, 0x4b, 0x0a, 0x00]; // "HMBANK\n\0"
/** 1 where this machine stores numbers little-endian (every common one), 2 where big-endian. */
const BYTE_ORDER = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 2;
const PREFIX = 20;

type ArrayKind = 'u32' | 'u16' | 'f64';
const WIDTH: Record<ArrayKind, number> = { u32: 4, u16: 2, f64: 8 };

/** The arrays in file order: name, kind. */
const ARRAYS: [string, ArrayKind][] = [
  ['indexSlots', 'u32'],
  ['indexLangs', 'u16'],
  ['indexEntries', 'u32'],
  ['postingSlots', 'u32'],
  ['postingLangs', 'u16'],
  ['postingWeights', 'f64'],
];

interface Header {
  labels: string[];
  order: number;
  languages: number;
  lengths: Record<string, number>;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** The bank as bytes (see LANGUAGE_BANK_FORMAT); languageBankFromBytes reads them back. */
export function languageBankToBytes(bank: LanguageBank): Uint8Array {
  const p = bank.parts();
  const arrays: Record<
    string,
    ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }
  > = {
    indexSlots: p.index.slots,
    indexLangs: p.index.langs,
    indexEntries: p.index.entries,
    postingSlots: p.postings.slots,
    postingLangs: p.postings.langs,
    postingWeights: p.postings.weights,
  };
  const header: Header = {
    labels: p.labels,
    order: p.order,
    languages: p.index.languages,
    lengths: Object.fromEntries(ARRAYS.map(([name]) => [name, arrays[name].length])),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  let size = pad8(PREFIX + json.length);
  for (const [name] of ARRAYS) size += pad8(arrays[name].byteLength);
  const out = new Uint8Array(size);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, LANGUAGE_BANK_FORMAT, true);
  // the arrays are written in the machine's own byte order: a reader on another order refuses them
  view.setUint32(12, BYTE_ORDER, true);
  view.setUint32(16, json.length, true);
  out.set(json, PREFIX);
  let at = pad8(PREFIX + json.length);
  for (const [name] of ARRAYS) {
    const a = arrays[name];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  return out;
}

/** A bank from languageBankToBytes's bytes; a DataError (one line, saying what is wrong) for anything else. */
export function languageBankFromBytes(bytes: Uint8Array): LanguageBank {
  const bad = (why: string) => new DataError(`not a saved language bank: ${why}`);
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('its first bytes are wrong');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== LANGUAGE_BANK_FORMAT)
    throw bad(`format ${format}, this version reads format ${LANGUAGE_BANK_FORMAT}`);
  if (view.getUint32(12, true) !== BYTE_ORDER) throw bad('saved on a machine of another byte order');
  const jsonLength = view.getUint32(16, true);
  if (PREFIX + jsonLength > bytes.length) throw bad('its header runs past its end');
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + jsonLength)),
    );
  } catch {
    throw bad('its header is not JSON');
  }
  const ok =
    header !== null &&
    typeof header === 'object' &&
    Array.isArray(header.labels) &&
    header.labels.every((l) => typeof l === 'string') &&
    Number.isInteger(header.order) &&
    Number.isInteger(header.languages) &&
    typeof header.lengths === 'object' &&
    header.lengths !== null &&
    ARRAYS.every(([name]) => Number.isInteger(header.lengths[name]) && header.lengths[name] >= 0);
  if (!ok) throw bad('its header lacks a field');
  let at = pad8(PREFIX + jsonLength);
  const read: Record<string, Uint32Array | Uint16Array | Float64Array> = {};
  for (const [name, kind] of ARRAYS) {
    const byteLength = header.lengths[name] * WIDTH[kind];
    if (at + byteLength > bytes.length) throw bad(`it ends inside ${name}`);
    // copied (a Node Buffer's own slice would not copy): the file's bytes need not sit at an
    // offset the typed array's width divides
    const copy = Uint8Array.prototype.slice.call(bytes, at, at + byteLength).buffer;
    read[name] =
      kind === 'u32'
        ? new Uint32Array(copy)
        : kind === 'u16'
          ? new Uint16Array(copy)
          : new Float64Array(copy);
    at += pad8(byteLength);
  }
  if (at !== bytes.length) throw bad(`${bytes.length - at} bytes past its last array`);
  try {
    return bankOf(header, read);
  } catch (e) {
    // an order or sizes the bank itself refuses: still a file that is not a bank
    if (e instanceof HypermetaError) throw bad(e.message);
    throw e;
  }
}

function bankOf(
  header: Header,
  read: Record<string, Uint32Array | Uint16Array | Float64Array>,
): LanguageBank {
  return LanguageBank.fromParts({
    labels: header.labels,
    order: header.order,
    index: {
      slots: read.indexSlots as Uint32Array,
      langs: read.indexLangs as Uint16Array,
      entries: read.indexEntries as Uint32Array,
      languages: header.languages,
    },
    postings: {
      slots: read.postingSlots as Uint32Array,
      langs: read.postingLangs as Uint16Array,
      weights: read.postingWeights as Float64Array,
      languages: header.languages,
    },
  });
}
