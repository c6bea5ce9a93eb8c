import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LanguageModel, loadCheckpoint, tf, useBackend } from '@hypermeta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptToLanguages, disposeAdapted, identifyLanguage } from '../src/language/adapt.js';
import type { ExampleSet } from '../src/language/model.js';

const SHIPPED = fileURLToPath(new URL('../public/models/language/', import.meta.url));
const examples = JSON.parse(readFileSync(`${SHIPPED}examples.json`, 'utf8')) as ExampleSet;
const sentence = (code: string, i: number) => examples.languages.find((l) => l.code === code)!.sentences[i];

let model: LanguageModel;

beforeAll(async () => {
  await useBackend('cpu');
  const read = async (name: string) => new Uint8Array(readFileSync(`${SHIPPED}${name}`));
  const loaded = await loadCheckpoint(read, { optimizer: false });
  model = loaded.model as LanguageModel;
});
afterAll(() => model?.dispose());

describe("the language panel's model calls on the shipped checkpoint", () => {
  it('is a language model of at most 1 MB of weights', () => {
    expect(model).toBeInstanceOf(LanguageModel);
    expect(readFileSync(`${SHIPPED}weights.bin`).byteLength).toBeLessThanOrEqual(1_000_000);
  });

  it('splits adapting and classifying without changing the model’s scores', () => {
    const languages = ['Spanish', 'English', 'Russian'];
    const support = ['spa', 'eng', 'rus'].map((c) => sentence(c, 0));
    const queries = ['spa', 'eng', 'rus'].map((c) => sentence(c, 2));
    const adapted = adaptToLanguages(model, languages, support);
    const split = queries.map((q) => identifyLanguage(model, adapted, q).scores);
    disposeAdapted(model, adapted);
    // The same episode through the model's own call: support and queries in one batch.
    const ep = model.episodeTensors(
      {
        classes: languages,
        supportTexts: support,
        supportLabels: [0, 1, 2],
        queryTexts: queries,
        queryLabels: [],
      },
      false,
    );
    const whole = tf.tidy(() => tf.softmax(model.queryLogits(ep)).arraySync());
    tf.dispose([ep.support, ep.query]);
    split.forEach((row, i) => row.forEach((p, c) => expect(p).toBeCloseTo(whole[i][c], 5)));
    // and the scores say something: each query's own language wins
    expect(split.map((row) => row.indexOf(Math.max(...row)))).toEqual([0, 1, 2]);
  });

  it('frees every tensor it makes', () => {
    const before = tf.memory().numTensors;
    const adapted = adaptToLanguages(model, ['a', 'b'], [sentence('deu', 0), sentence('fra', 0)]);
    identifyLanguage(model, adapted, sentence('deu', 1));
    disposeAdapted(model, adapted);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a support set of one language', () => {
    expect(() => adaptToLanguages(model, ['a'], [sentence('eng', 0)])).toThrow(/at least 2 classes/);
  });
});
