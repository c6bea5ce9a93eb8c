// Types of language-examples.mjs, for the test that rebuilds the example set from the CLI's sources.
import type { TextCorpus } from '@hypermeta/core';

export const EXAMPLES: [code: string, declaration: string][];
export const EXAMPLE_ARTICLES: number[];
export const MAX_CHARS: number;
export function shortSentence(paragraph: string): string;
export function exampleSet(
  corpus: TextCorpus,
  declarations: Map<string, { articles: Map<number, string[]> }>,
): {
  source: string;
  languages: { code: string; name: string; heldOut: boolean; sentences: string[] }[];
};
