/**
 * The one normal form of every text example: Unicode NFC (so a letter typed with a combining
 * accent and its precomposed form are the same characters), runs of white space folded to one
 * space, no leading or trailing space. Case and punctuation are kept: both carry language signal.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}
