import { DataError } from '../errors/errors.js';

/**
 * Checks the arrays of a saved open-addressing table whose slots point at runs of a list tagged
 * by language (the bank's index and its trigram postings): a power of two of slots, every run
 * inside the list, every language below `languages`. What a saved file could get wrong before a
 * lookup reads past an array; a DataError naming `what` otherwise.
 */
export function checkSavedRuns(o: {
  what: string;
  slots: Uint32Array;
  /** Numbers per slot. */
  stride: number;
  /** Where in a slot its run's start sits (its length follows). */
  runAt: number;
  langs: Uint16Array;
  languages: number;
}): void {
  const { slots, stride, runAt, langs, languages } = o;
  const bad = (why: string) => new DataError(`language bank ${o.what}: ${why}`);
  const size = slots.length / stride;
  if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0)
    throw bad(`${slots.length} slot numbers are not a power of two of slots`);
  if (!Number.isInteger(languages) || languages < 1 || languages > 0xffff)
    throw bad(`${languages} languages`);
  for (let s = 0; s < size; s++)
    if (slots[s * stride + runAt] + slots[s * stride + runAt + 1] > langs.length)
      throw bad(`slot ${s}'s run ends past the list`);
  for (let e = 0; e < langs.length; e++)
    if (langs[e] >= languages) throw bad(`entry ${e} names language ${langs[e]}`);
}
