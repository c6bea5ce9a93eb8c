import { state } from '../runtime.js';
import { adaptToLanguages, type AdaptedLanguages, disposeAdapted, identifyLanguage } from './adapt.js';
import { exampleSelect, fillLanguages, HELD_OUT, QueryPicks } from './examples-ui.js';
import { type ExampleLanguage, loadExamples, loadLanguageModel } from './model.js';
import { renderResult, type LanguageResult } from './result-view.js';
import './language.css';

/** Typing pauses this long before the page adapts and classifies again. */
const DEBOUNCE_MS = 150;

interface Row {
  name: HTMLInputElement;
  sentence: HTMLInputElement;
  pick: HTMLSelectElement;
  badge: HTMLElement;
}

/** What the page exposes of this panel (its end-to-end test reads it). */
interface LanguagePanelState {
  trained: boolean;
  ways: number;
  /** Results computed so far: a test waits for this to grow after typing. */
  updates: number;
  result: LanguageResult | null;
  /** The query the result is for. */
  query: string;
  message: string;
}

/**
 * The language panel: one sentence for each of 2–5 languages (typed, pasted or picked from the UDHR
 * examples), then a query sentence; the prediction and every language's score follow the typing.
 */
export async function startLanguagePanel(): Promise<void> {
  const root = document.getElementById('language')!;
  const rowsEl = document.getElementById('language-rows')!;
  const resultEl = document.getElementById('language-result')!;
  const waysEl = document.getElementById('language-ways') as HTMLSelectElement;
  const queryEl = document.getElementById('language-query') as HTMLInputElement;
  const [source, examples] = await Promise.all([loadLanguageModel(), loadExamples()]);
  document.getElementById('language-model')!.textContent = source.note;
  const languages = examples.languages;
  const byCode = new Map(languages.map((l) => [l.code, l]));
  const heldOutNames = new Set(languages.filter((l) => l.heldOut).map((l) => l.name));
  const queryPick = exampleSelect('language-query-pick', 'Pick a sentence…', languages);
  queryEl.after(queryPick);
  const picks = new QueryPicks();
  const s: LanguagePanelState = {
    trained: source.trained,
    ways: 0,
    updates: 0,
    result: null,
    query: '',
    message: '',
  };
  Object.assign(state, { language: s });

  let rows: Row[] = [];
  let adapted: AdaptedLanguages | null = null;
  let adaptedKey = '';
  let timer: ReturnType<typeof setTimeout> | undefined;

  const nameOf = (r: Row, c: number) => r.name.value.trim() || `Language ${c + 1}`;
  const update = () => {
    const names = rows.map(nameOf);
    const sentences = rows.map((r) => r.sentence.value.trim());
    rows.forEach((r, c) => (r.badge.textContent = heldOutNames.has(names[c]) ? HELD_OUT : ''));
    const missing = sentences.findIndex((t) => !t);
    const query = (s.query = queryEl.value.trim());
    s.message =
      missing >= 0
        ? `Type or pick a sentence in ${names[missing]}.`
        : !query
          ? 'Now type a sentence to identify, or pick one.'
          : '';
    if (missing < 0) {
      // Adapt again only when the support set changed: typing a query only classifies.
      const key = JSON.stringify([names, sentences]);
      if (key !== adaptedKey) {
        if (adapted) disposeAdapted(source.model, adapted);
        // Forgotten before adapting again: a failed adaptation leaves no freed classifier in use.
        [adapted, adaptedKey] = [null, ''];
        adapted = adaptToLanguages(source.model, names, sentences);
        adaptedKey = key;
      }
    }
    s.result =
      adapted && !s.message
        ? {
            guess: identifyLanguage(source.model, adapted, query),
            languages: names,
            heldOut: names.map((n) => heldOutNames.has(n)),
            adaptMs: adapted.ms,
          }
        : null;
    renderResult(resultEl, s.result, s.message);
    s.updates++;
  };
  // A sentence the model cannot take (say, far too long) is said on the page, never thrown away silently.
  const safeUpdate = () => {
    try {
      update();
    } catch (e) {
      s.result = null;
      s.message = `Cannot classify: ${(e as Error)?.message ?? e}`;
      renderResult(resultEl, null, s.message);
      s.updates++;
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(safeUpdate, DEBOUNCE_MS);
  };

  const setExample = (r: Row, l: ExampleLanguage | undefined) => {
    if (!l) return;
    r.name.value = l.name;
    r.sentence.value = l.sentences[0];
  };
  const makeRow = (c: number, old?: Row): Row => {
    const pick = exampleSelect(`language-pick-${c + 1}`, 'Pick an example…', languages);
    const name = input(`language-name-${c + 1}`, `Language ${c + 1}`, old?.name.value);
    const sentence = input(`language-sentence-${c + 1}`, 'A sentence in this language', old?.sentence.value);
    const badge = document.createElement('span');
    badge.className = 'lang-badge';
    const r = { name, sentence, pick, badge };
    pick.onchange = () => {
      setExample(r, byCode.get(pick.value));
      pick.value = '';
      safeUpdate();
    };
    name.oninput = sentence.oninput = schedule;
    return r;
  };
  // A new number of languages keeps what the remaining rows hold.
  const setWays = () => {
    s.ways = Number(waysEl.value);
    rows = Array.from({ length: s.ways }, (_, c) => makeRow(c, rows[c]));
    rowsEl.replaceChildren(
      ...rows.map((r) => {
        const div = document.createElement('div');
        div.className = 'lang-row';
        div.append(r.pick, r.name, r.sentence, r.badge);
        return div;
      }),
    );
    safeUpdate();
  };

  waysEl.onchange = setWays;
  queryEl.oninput = schedule;
  queryPick.onchange = () => {
    const l = byCode.get(queryPick.value);
    if (l) queryEl.value = picks.next(l);
    queryPick.value = '';
    safeUpdate();
  };
  document.getElementById('language-fill')!.onclick = () => {
    const chosen = fillLanguages(languages, rows.length);
    rows.forEach((r, c) => setExample(r, chosen[c]));
    // The query: another sentence of the first (held-out) language.
    if (chosen[0]) queryEl.value = picks.next(chosen[0]);
    safeUpdate();
  };
  document.getElementById('language-clear')!.onclick = () => {
    for (const r of rows) r.name.value = r.sentence.value = '';
    queryEl.value = '';
    safeUpdate();
  };
  setWays();
  root.dataset.ready = 'true';
}

function input(id: string, placeholder: string, value = ''): HTMLInputElement {
  const el = document.createElement('input');
  Object.assign(el, { id, placeholder, value, type: 'text', dir: 'auto', spellcheck: false });
  el.className = id.includes('name') ? 'lang-name' : 'lang-sentence';
  el.setAttribute('aria-label', placeholder);
  return el;
}
