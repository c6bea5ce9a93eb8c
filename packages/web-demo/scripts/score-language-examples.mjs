#!/usr/bin/env node
// Scores a language checkpoint on the language panel's own examples, as a user picking them would
// use it: every 3-language set of the example languages, each language's first sentence as its
// support, its other sentences as queries (other UDHR articles). Prints the model's accuracy beside
// the trigram baseline's on the same episodes, and the most frequent confusions.
// Usage (after building core): node packages/web-demo/scripts/score-language-examples.mjs [CHECKPOINT_DIR]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const core = await import(new URL('../../core/dist/index.js', import.meta.url).href);
const { charLmBaseline, disposeEpisode, loadCheckpoint, tf, trigramBaseline, useBackend } = core;
const models = fileURLToPath(new URL('../public/models/language/', import.meta.url));
const dir = process.argv[2] ?? models;
tf.env().set('PROD', true);
await useBackend('wasm').catch(() => useBackend('cpu'));
const read = async (name) => new Uint8Array(readFileSync(`${dir}/${name}`));
const { model } = await loadCheckpoint(read, { optimizer: false });
const { languages } = JSON.parse(readFileSync(`${models}examples.json`, 'utf8'));

let right = 0;
let baseline = 0;
let charLm = 0;
let queries = 0;
const confusions = new Map();
const L = languages.length;
for (let a = 0; a < L; a++)
  for (let b = a + 1; b < L; b++)
    for (let c = b + 1; c < L; c++) {
      const set = [languages[a], languages[b], languages[c]];
      const episode = {
        classes: set.map((l) => l.code),
        supportTexts: set.map((l) => l.sentences[0]),
        supportLabels: [0, 1, 2],
        queryTexts: set.flatMap((l) => l.sentences.slice(1)),
        queryLabels: set.flatMap((l, i) => l.sentences.slice(1).map(() => i)),
      };
      const ep = model.episodeTensors(episode, false);
      const predicted = tf.tidy(() => tf.argMax(model.queryLogits(ep), 1).arraySync());
      disposeEpisode(ep);
      const base = trigramBaseline(episode);
      const lm = charLmBaseline(episode);
      episode.queryLabels.forEach((truth, i) => {
        queries++;
        if (base[i] === truth) baseline++;
        if (lm[i] === truth) charLm++;
        if (predicted[i] === truth) right++;
        else {
          const k = `${set[truth].name} → ${set[predicted[i]].name}`;
          confusions.set(k, (confusions.get(k) ?? 0) + 1);
        }
      });
    }
const pct = (n) => `${((100 * n) / queries).toFixed(1)} %`;
console.log(
  `${queries} queries in every 3-language set of ${L} example languages, one support sentence each:`,
);
console.log(
  `  model ${pct(right)}, trigram baseline ${pct(baseline)}, character language-model baseline ${pct(charLm)}`,
);
const top = [...confusions].sort((x, y) => y[1] - x[1]).slice(0, 5);
if (top.length) console.log(`  most confused: ${top.map(([k, n]) => `${k} (${n})`).join(', ')}`);
