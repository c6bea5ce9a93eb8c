import { describe, expect, it } from 'vitest';
import { DataError } from '../errors/errors.js';
import { LANGUAGE_BANK_FORMAT, languageBankFromBytes, languageBankToBytes } from './bank-file.js';
import { charLmScores } from './char-lm.js';
import { LanguageBank } from './language-bank.js';

// 60 languages: the n-grams all of them share make runs long enough for the index's tables by
// language (48 or more), which a loaded bank rebuilds
const WORDS = ['la', 'casa', 'grande', 'rights', 'haus', 'person', 'derechos', 'frau', 'big', 'de'];
const languages = Array.from({ length: 60 }, (_, j) => ({
  label: `l${String(j).padStart(2, '0')}`,
  texts: [
    Array.from(
      { length: 12 },
      (_, w) => `${WORDS[(j * 7 + w * 3) % WORDS.length]}${'aeiou'[(j + w) % 5]}`,
    ).join(' '),
    `a ${WORDS[j % WORDS.length]} e ${WORDS[(j + 1) % WORDS.length]}`,
  ],
}));

const support = [['la casae grandei de'], ['the rights of the persono'], ['das hausu der fraue']];
const queries = ['la casa', 'rights persona', 'haus frau', 'qqq'];

function scores(bank: LanguageBank): Float32Array {
  return charLmScores(support, queries, {
    order: 4,
    prior: { bank, weight: 0.4, neighbours: 8, keep: 4, fitOrder: 3 },
  });
}

describe('languageBankToBytes / languageBankFromBytes', () => {
  const bank = new LanguageBank(languages, 4);
  const bytes = languageBankToBytes(bank);

  it('gives back a bank that scores, finds neighbours and fits shares exactly as the one saved', () => {
    // the index holds tables by language (bytes beyond its saved arrays), which loading rebuilds
    const p = bank.counts.parts();
    expect(bank.counts.bytes).toBeGreaterThan(p.slots.byteLength + p.langs.byteLength + p.entries.byteLength);
    const loaded = languageBankFromBytes(bytes);
    expect(loaded.labels).toEqual(bank.labels);
    expect(loaded.order).toBe(4);
    expect(loaded.bytes).toBe(bank.bytes);
    expect(scores(loaded)).toEqual(scores(bank));
    for (const t of ['la casa grande', 'haus der frau', 'zzz'])
      expect(loaded.nearest([t], 10)).toEqual(bank.nearest([t], 10));
    // saved again, the same bytes
    expect(languageBankToBytes(loaded)).toEqual(bytes);
  });

  it('reads bytes that sit at any offset of a larger buffer', () => {
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const loaded = languageBankFromBytes(big.subarray(3));
    expect(scores(loaded)).toEqual(scores(bank));
  });

  it('refuses what is not a saved bank, with a DataError that says why', () => {
    const refused = (b: Uint8Array, why: RegExp) => {
      expect(() => languageBankFromBytes(b)).toThrow(DataError);
      expect(() => languageBankFromBytes(b)).toThrow(why);
    };
    refused(new TextEncoder().encode('hello, this is text and not a bank'), /first bytes/);
    refused(bytes.subarray(0, 10), /first bytes/);
    refused(bytes.subarray(0, bytes.length - 8), /ends inside postingWeights/);
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    refused(longer, /8 bytes past/);
    const otherFormat = bytes.slice();
    new DataView(otherFormat.buffer).setUint32(8, LANGUAGE_BANK_FORMAT + 1, true);
    refused(otherFormat, new RegExp(`format ${LANGUAGE_BANK_FORMAT + 1}`));
    const otherOrder = bytes.slice();
    new DataView(otherOrder.buffer).setUint32(12, 7, true);
    refused(otherOrder, /byte order/);
    // a run that points past the entries: the header is JSON, the arrays follow it
    const jsonLength = new DataView(bytes.buffer).getUint32(16, true);
    const corrupt = bytes.slice();
    const slots = new Uint32Array(corrupt.buffer, Math.ceil((20 + jsonLength) / 8) * 8, 8);
    const used = slots[0] !== 0 ? 0 : 4;
    slots[used + 3] = 0xffffff;
    refused(corrupt, /index: slot \d+'s run ends past the list/);
  });
});
