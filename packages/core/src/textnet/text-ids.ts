/**
 * Text → integer ids for the text encoder, in plain JavaScript (no Node built-ins: it runs in
 * browsers too). Two id rows per text:
 * - its UTF-8 bytes + 1 (0 is padding), so any script, known or not, still encodes;
 * - hashed character n-grams of the lower-cased text with a space at each end (feature hashing:
 *   ids 1 … buckets − 1, 0 is padding), the features that identify languages best.
 * Nothing maps a whole script to an "unknown" token: an unseen script gives unseen bytes and
 * n-gram buckets whose embeddings still differ from one text to the next.
 */

export interface TextIdsOptions {
  /** Code points read from each text (the rest is ignored). */
  maxChars: number;
  /** n-gram lengths, in code points. */
  orders: readonly number[];
  /** Hash buckets of the n-gram table (including the padding id 0). */
  buckets: number;
}

/** A batch of texts as ids [N, 2, W]: row 0 the bytes, row 1 the n-grams, each padded with 0 to W. */
export interface TextBatch {
  ids: Int32Array;
  shape: [number, 2, number];
}

const utf8 = new TextEncoder();

/** FNV-1a over code points, salted with the n-gram's length, mixed once so buckets spread. */
function hashGram(chars: readonly string[], start: number, n: number): number {
  let h = (0x811c9dc5 ^ Math.imul(n, 0x9e3779b1)) >>> 0;
  for (let i = start; i < start + n; i++) {
    const cp = chars[i].codePointAt(0)!;
    h = Math.imul(h ^ (cp & 0xffff), 0x01000193);
    h = Math.imul(h ^ (cp >>> 16), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** The first `maxChars` code points of a text, NFC-normalised (the same text typed two ways gives the same ids). */
export function textChars(text: string, maxChars: number): string[] {
  return Array.from(text.normalize('NFC')).slice(0, maxChars);
}

/** The byte ids and n-gram ids of one text. */
export function textIds(text: string, o: TextIdsOptions): { bytes: Int32Array; grams: Int32Array } {
  const chars = textChars(text, o.maxChars);
  const raw = utf8.encode(chars.join(''));
  const bytes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw[i] + 1;
  // Lower-casing per code point keeps one position per character (a few map to two code points).
  const padded = [' ', ...chars.map((c) => Array.from(c.toLowerCase())[0] ?? c), ' '];
  const grams: number[] = [];
  for (const n of o.orders)
    for (let i = 0; i + n <= padded.length; i++) grams.push(1 + (hashGram(padded, i, n) % (o.buckets - 1)));
  return { bytes, grams: Int32Array.from(grams) };
}

/** Ids of a batch of texts, padded to the batch's longest row. */
export function textBatch(texts: readonly string[], o: TextIdsOptions): TextBatch {
  const each = texts.map((t) => textIds(t, o));
  const W = Math.max(1, ...each.map((e) => Math.max(e.bytes.length, e.grams.length)));
  const ids = new Int32Array(texts.length * 2 * W);
  each.forEach((e, i) => {
    ids.set(e.bytes, i * 2 * W);
    ids.set(e.grams, i * 2 * W + W);
  });
  return { ids, shape: [texts.length, 2, W] };
}
