import { InvalidArgumentError } from '../errors/errors.js';
import type { Rng } from '../random/rng.js';

// One segmenter for the process: building one loads ICU data, splitting with it is cheap.
let graphemeSegmenter: Intl.Segmenter | undefined;

/** The user-perceived characters (extended grapheme clusters) of a text, in order. */
export function graphemes(text: string): string[] {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

const SPACE = /^\s+$/u;

/**
 * Positions where a word starts (the first character, and every non-space after a space).
 * Writing systems without spaces between words (Chinese, Japanese, Thai…) have almost none.
 */
function wordStarts(chars: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (!SPACE.test(chars[i]) && (i === 0 || SPACE.test(chars[i - 1]))) out.push(i);
  }
  return out;
}

/**
 * A random piece of `text` at most `length` characters long, counted in grapheme clusters so a
 * snippet never ends inside a surrogate pair, a combining mark or an emoji sequence. Where the
 * text separates words with spaces, the piece starts at a word and ends at a word's end (cut
 * inside the word only when the window holds a single over-long word); in text with fewer than
 * one space per `length` characters (no word boundaries to speak of), it starts and ends at any
 * character. `length` 0, or a text no longer than `length`, gives the text whole. Draws one
 * number from `rng` when it cuts, none otherwise.
 */
export function snippet(text: string, length: number, rng: Rng): string {
  if (!Number.isInteger(length) || length < 0)
    throw new InvalidArgumentError(`snippet length must be an integer >= 0, got ${length}`);
  if (length === 0) return text;
  const chars = graphemes(text);
  if (chars.length <= length) return text;
  const last = chars.length - length;
  const starts = wordStarts(chars);
  // Spaced text has a word start every few characters; the test keeps Thai, which spaces
  // phrases rather than words, and Chinese with an embedded Latin word on the grapheme path.
  const spaced = starts.length * length >= chars.length;
  const fitting = spaced ? starts.filter((s) => s <= last) : [];
  const begin = fitting.length ? fitting[rng.int(fitting.length)] : rng.int(last + 1);
  let end = begin + length;
  if (spaced && end < chars.length && !SPACE.test(chars[end])) {
    // back up to the space before the cut word; keep the hard cut if the window is one word
    let s = end - 1;
    while (s > begin && !SPACE.test(chars[s])) s--;
    if (s > begin) end = s;
  }
  return chars.slice(begin, end).join('').trim();
}
