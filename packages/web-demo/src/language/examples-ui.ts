import type { ExampleLanguage } from './model.js';

/** What a held-out language is called on the page. */
export const HELD_OUT = 'held out: never seen in training';

/** A select of the example languages, held-out ones marked; its first option is `prompt` (value ''). */
export function exampleSelect(id: string, prompt: string, languages: ExampleLanguage[]): HTMLSelectElement {
  const select = document.createElement('select');
  select.id = id;
  select.append(new Option(prompt, ''));
  for (const l of languages) select.append(new Option(l.heldOut ? `${l.name} (held out)` : l.name, l.code));
  select.disabled = languages.length === 0;
  return select;
}

/**
 * Which example sentence a query pick takes: never the first (that one is the support example),
 * and a different one at each pick of the same language, so a query is never a support sentence.
 */
export class QueryPicks {
  private readonly count = new Map<string, number>();

  next(l: ExampleLanguage): string {
    const k = this.count.get(l.code) ?? 0;
    this.count.set(l.code, k + 1);
    const others = l.sentences.slice(1);
    return others.length ? others[k % others.length] : l.sentences[0];
  }
}

/**
 * Languages "Fill with examples" puts in the rows, in order: held-out and training languages
 * alternate, and related pairs sit side by side (Spanish and Portuguese, Russian and Polish).
 */
export const FILL_ORDER = ['spa', 'eng', 'rus', 'deu', 'por', 'pol'];

/** The example languages for `ways` rows: FILL_ORDER first, then the list's own order. */
export function fillLanguages(languages: ExampleLanguage[], ways: number): ExampleLanguage[] {
  const byCode = new Map(languages.map((l) => [l.code, l]));
  const ordered = [
    ...FILL_ORDER.flatMap((c) => byCode.get(c) ?? []),
    ...languages.filter((l) => !FILL_ORDER.includes(l.code)),
  ];
  return ordered.slice(0, ways);
}
