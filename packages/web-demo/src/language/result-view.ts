import type { LanguageGuess } from './adapt.js';

/** One classification as the panel shows it. */
export interface LanguageResult {
  guess: LanguageGuess;
  languages: string[];
  heldOut: boolean[];
  /** Time of the adaptation the guess used (it is redone only when the support sentences change). */
  adaptMs: number;
}

const ms = (t: number) => `${t < 10 ? t.toFixed(2) : t.toFixed(1)} ms`;

/** The predicted language, a bar per language, and how long adapting and classifying took; or a hint. */
export function renderResult(el: HTMLElement, r: LanguageResult | null, message: string): void {
  el.replaceChildren();
  el.dataset.predicted = '';
  if (!r) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = message;
    el.append(p);
    return;
  }
  const { guess, languages } = r;
  const head = document.createElement('p');
  head.className = 'lang-prediction';
  const best = document.createElement('strong');
  best.textContent = languages[guess.predicted];
  head.append('Predicted: ', best);
  if (r.heldOut[guess.predicted]) head.append(' (a held-out language: the model never saw it in training)');
  el.append(head);
  guess.scores.forEach((p, c) => {
    const row = document.createElement('div');
    row.className = 'score-row' + (c === guess.predicted ? ' best' : '');
    row.dataset.language = languages[c];
    row.textContent = `${languages[c]}${r.heldOut[c] ? ' (held out)' : ''}: ${(100 * p).toFixed(1)} %`;
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = `${(100 * p).toFixed(1)}%`;
    row.append(bar);
    el.append(row);
  });
  const timing = document.createElement('p');
  timing.id = 'language-timing';
  timing.className = 'readout';
  timing.textContent =
    `Adapted to ${languages.length} languages in ${ms(r.adaptMs)} (encode the sentences, generate the ` +
    `classifier) · classified in ${ms(guess.ms)} (encode the query, score it)`;
  el.append(timing);
  el.dataset.predicted = languages[guess.predicted];
}
