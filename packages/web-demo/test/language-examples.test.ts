import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadUdhrCorpus, parseDeclaration, udhrDeclarationDir } from '../../cli/src/data/udhr/index.js';
import { EXAMPLES, exampleSet, MAX_CHARS, shortSentence } from '../scripts/language-examples.mjs';

const FILE = fileURLToPath(new URL('../public/models/language/examples.json', import.meta.url));
const graphemes = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

describe('the language panel’s example sentences', () => {
  it('are what make-language-examples.mjs makes from the udhr package now, and a few kB', async () => {
    const declarations = new Map(
      EXAMPLES.map(([, v]) => [
        v,
        parseDeclaration(readFileSync(`${udhrDeclarationDir()}${v}.html`, 'utf8')),
      ]),
    );
    const fresh = exampleSet(await loadUdhrCorpus(), declarations);
    const text = readFileSync(FILE, 'utf8');
    expect(JSON.parse(text)).toEqual(fresh);
    expect(text.length).toBeLessThan(8000);
  });

  it('hold a dozen languages from both sides of the training split, short sentences each', () => {
    const { languages } = JSON.parse(readFileSync(FILE, 'utf8')) as ReturnType<typeof exampleSet>;
    expect(languages.length).toBeGreaterThanOrEqual(12);
    expect(languages.filter((l) => l.heldOut).length).toBeGreaterThanOrEqual(3);
    expect(languages.filter((l) => !l.heldOut).length).toBeGreaterThanOrEqual(3);
    for (const l of languages) {
      expect(l.sentences.length, l.code).toBeGreaterThanOrEqual(2); // a support sentence and a query
      expect(new Set(l.sentences).size, l.code).toBe(l.sentences.length);
      for (const s of l.sentences) expect(graphemes(s), s).toBeLessThanOrEqual(MAX_CHARS);
    }
  });

  it('cut a long paragraph at its first sentence, or at a word within the limit', () => {
    const long = 'word '.repeat(40).trim();
    expect(shortSentence(`A short first sentence here. ${long}`)).toBe('A short first sentence here.');
    const cut = shortSentence(long);
    expect(graphemes(cut)).toBeLessThanOrEqual(MAX_CHARS);
    expect(cut.endsWith('word')).toBe(true);
    expect(shortSentence('人'.repeat(150))).toBe('人'.repeat(MAX_CHARS)); // no spaces: whole characters
    expect(shortSentence('Short.')).toBe('Short.');
  });
});
