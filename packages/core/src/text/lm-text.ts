/** The text as the character language models see it: NFC, lower case, white space collapsed, a space at each end. */
export function charLmText(text: string): string[] {
  return [...` ${text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()} `];
}
