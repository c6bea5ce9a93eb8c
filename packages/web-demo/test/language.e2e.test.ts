import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleSet } from '../src/language/model.js';
import { type BuiltDemo, openBuiltDemo } from './built-demo.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../public/models/language/examples.json', import.meta.url));
const examples = (JSON.parse(readFileSync(EXAMPLES, 'utf8')) as ExampleSet).languages;
const example = (code: string) => examples.find((l) => l.code === code)!;

let demo: BuiltDemo;
let page: Page;

beforeAll(async () => {
  demo = await openBuiltDemo('language', '#language[data-ready="true"]');
  page = demo.page;
});

afterAll(() => demo?.close());

type Panel = {
  trained: boolean;
  ways: number;
  updates: number;
  query: string;
  message: string;
  result: {
    guess: { scores: number[]; predicted: number; ms: number };
    languages: string[];
    heldOut: boolean[];
    adaptMs: number;
  } | null;
};
const panel = () => page.evaluate(() => window.__hypermeta.language as never) as Promise<Panel>;

/** Waits for a result computed after update `after` (for `query`, if given): typing is debounced. */
async function settled(after: number, query?: string): Promise<Panel> {
  await page.waitForFunction(
    ([n, q]) => {
      const p = window.__hypermeta.language as Panel;
      return p.updates > (n as number) && (q === null || p.query === q);
    },
    [after, query ?? null] as const,
  );
  return panel();
}

function expectScores(p: Panel, ways: number): void {
  const r = p.result!;
  expect(r.guess.scores).toHaveLength(ways);
  expect(r.guess.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(r.guess.predicted).toBe(r.guess.scores.indexOf(Math.max(...r.guess.scores)));
  expect(r.adaptMs).toBeGreaterThan(0);
  expect(r.guess.ms).toBeGreaterThan(0);
}

describe('language panel in headless Chromium', () => {
  it('loads the shipped language model and the example list', async () => {
    const p = await panel();
    expect(p.trained).toBe(true);
    expect(p.ways).toBe(3);
    expect(await page.locator('#language-model').textContent()).toMatch(/^Language model: hypernet/);
    expect(await page.locator('#language-pick-1 option').count()).toBe(examples.length + 1);
    // held-out languages are labelled as such in the pickers
    expect(await page.locator('#language-pick-1 option', { hasText: 'held out' }).count()).toBe(
      examples.filter((l) => l.heldOut).length,
    );
    expect(await page.locator('#language-result').textContent()).toMatch(/Type or pick a sentence/);
  });

  it('identifies a typed query among three typed languages and shows every score and the timings', async () => {
    // Everyday text, not the UDHR the model was trained on; the queries share no sentence with the support.
    expect(example('rus').heldOut && !example('eng').heldOut).toBe(true);
    const typed: [string, string][] = [
      ['English', 'The weather is lovely today and we are going to walk along the river.'],
      ['German', 'Das Wetter ist heute schön und wir gehen am Fluss spazieren.'],
      ['Russian', 'Сегодня прекрасная погода, и мы пойдём гулять вдоль реки.'],
    ];
    for (const [c, [name, text]] of typed.entries()) {
      await page.fill(`#language-name-${c + 1}`, name);
      await page.fill(`#language-sentence-${c + 1}`, text);
    }
    let n = (await panel()).updates;
    // typed key by key, as a user would: the prediction follows once the typing pauses
    const german = 'Die Kinder spielen im Garten und die Katze schläft auf dem Sofa.';
    await page.locator('#language-query').pressSequentially(german, { delay: 5 });
    let p = await settled(n, german);
    expect(p.result, p.message).not.toBeNull();
    expect(p.result!.languages).toEqual(['English', 'German', 'Russian']);
    expect(p.result!.languages[p.result!.guess.predicted]).toBe('German');
    expectScores(p, 3);
    expect(await page.locator('#language-result').getAttribute('data-predicted')).toBe('German');
    expect(await page.locator('#language-result .score-row').count()).toBe(3);
    expect(await page.locator('#language-result .score-row.best').getAttribute('data-language')).toBe(
      'German',
    );
    expect(await page.locator('#language-result .score-row').allTextContents()).toEqual(
      // a typed name that is an example language's gets its mark: Russian is held out
      p.result!.guess.scores.map(
        (s, c) => `${typed[c][0]}${c === 2 ? ' (held out)' : ''}: ${(100 * s).toFixed(1)} %`,
      ),
    );
    expect(await page.locator('#language-timing').textContent()).toMatch(
      /^Adapted to 3 languages in [\d.]+ ms .* classified in [\d.]+ ms/,
    );
    // a query in another of the languages changes the prediction
    n = p.updates;
    const english = 'The children are playing in the garden and the cat is asleep on the sofa.';
    await page.fill('#language-query', english);
    p = await settled(n, english);
    expect(p.result!.languages[p.result!.guess.predicted]).toBe('English');
    console.log(
      `language (typed): scores ${p.result!.guess.scores.map((s) => s.toFixed(3)).join(', ')}; ` +
        `adapted in ${p.result!.adaptMs.toFixed(2)} ms, classified in ${p.result!.guess.ms.toFixed(2)} ms`,
    );
  });

  it('fills from the examples, marks held-out languages, and identifies one the model never saw', async () => {
    const n = (await panel()).updates;
    await page.click('#language-fill');
    const p = await settled(n);
    const names = p.result!.languages;
    expect(names).toEqual(['spa', 'eng', 'rus'].map((c) => example(c).name));
    expect(p.result!.heldOut).toEqual(['spa', 'eng', 'rus'].map((c) => example(c).heldOut));
    expect(p.result!.heldOut[0]).toBe(true); // Spanish: never seen in training
    expect(await page.inputValue('#language-sentence-1')).toBe(example('spa').sentences[0]);
    // the query is another sentence of the held-out language, never its support sentence
    const query = await page.inputValue('#language-query');
    expect(example('spa').sentences.slice(1)).toContain(query);
    expect(names[p.result!.guess.predicted]).toBe(example('spa').name);
    expectScores(p, 3);
    expect(await page.locator('.lang-badge').allTextContents()).toEqual(
      p.result!.heldOut.map((h) => (h ? 'held out: never seen in training' : '')),
    );
    expect(await page.locator('#language-result .lang-prediction').textContent()).toMatch(
      /held-out language: the model never saw it/,
    );
    expect(await page.locator('#language-result .score-row').first().textContent()).toMatch(
      /^Spanish \(held out\):/,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#language').screenshot({ path: `${ARTIFACTS}/web-demo-language.png` });
    console.log(
      `language (examples, ${names.join(' / ')}): adapted in ${p.result!.adaptMs.toFixed(2)} ms, ` +
        `classified in ${p.result!.guess.ms.toFixed(2)} ms`,
    );
  });

  it('picks single languages and queries from the example lists, and takes 2 to 5 languages', async () => {
    let n = (await panel()).updates;
    await page.selectOption('#language-ways', '4');
    await page.selectOption('#language-pick-4', 'pol');
    expect(await page.inputValue('#language-name-4')).toBe(example('pol').name);
    await page.selectOption('#language-query-pick', 'rus');
    let p = await settled(n);
    expect(p.ways).toBe(4);
    expect(p.result!.languages[3]).toBe(example('pol').name);
    expect(p.result!.languages[p.result!.guess.predicted]).toBe(example('rus').name);
    expectScores(p, 4);
    expect(await page.locator('#language-result .score-row').count()).toBe(4);
    // fewer languages keep the rows that remain
    n = p.updates;
    await page.selectOption('#language-ways', '2');
    p = await settled(n);
    expect(p.result!.languages).toEqual([example('spa').name, example('eng').name]);
    expect(await page.locator('.lang-row').count()).toBe(2);
    // an empty sentence asks for one instead of guessing
    n = p.updates;
    await page.fill('#language-sentence-2', '');
    p = await settled(n);
    expect(p.result).toBeNull();
    expect(await page.locator('#language-result').textContent()).toMatch(/sentence in English/);
    expect(await page.locator('#language-result').getAttribute('data-predicted')).toBe('');
  });

  it('runs on the wasm backend with no page errors or console errors', () => {
    expect(demo.pageErrors).toEqual([]);
    expect(demo.consoleLines.filter((l) => /^error|already been set|already registered/i.test(l))).toEqual(
      [],
    );
  });
});

describe('language panel without a shipped language model', () => {
  it('says so and still adapts and scores, on an untrained encoder', async () => {
    const bare = await demo.newPage();
    const errors: string[] = [];
    bare.on('pageerror', (e) => errors.push(String(e)));
    // models.json without its "language" entry, as before a language checkpoint was shipped
    await bare.route('**/models/models.json', (r) =>
      r.fulfill({ json: { sinusoid: 'models/sinusoid/', omniglot: 'models/omniglot/' } }),
    );
    await bare.goto(demo.url);
    await bare.waitForSelector('#language[data-ready="true"]', { timeout: 60_000 });
    expect(await bare.locator('#language-model').textContent()).toMatch(/No language checkpoint/);
    await bare.click('#language-fill');
    await bare.waitForSelector('#language-result[data-predicted]:not([data-predicted=""])');
    const p = (await bare.evaluate(() => window.__hypermeta.language)) as Panel;
    expect(p.trained).toBe(false);
    expectScores(p, 3);
    expect(errors).toEqual([]);
    await bare.close();
  });
});
