import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphemes, Rng, sampleTextEpisode, type TextCorpus, trigramBaseline } from '@hypermeta/core';
import { parseDeclaration } from './declaration-html.js';
import { loadUdhrCorpus } from './udhr-corpus.js';
import { udhrSplit } from './udhr-split.js';

/** The monorepo root: the nearest folder above this file whose package.json declares workspaces. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dirname(dir) !== dir) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).workspaces) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
}

const EXPECTED = resolve(repoRoot(), '../shared/data/udhr-split');
const codes = (file: string) => readFileSync(join(EXPECTED, file), 'utf8').split('\n').filter(Boolean);

describe('udhrSplit', () => {
  it('keeps codes with a declaration of 30+ articles, sorted by code point, holding out every fourth', () => {
    const decls = ['b', 'a', 'C', 'e', 'd', 'f', 'g', 'h', 'i'].map((iso6393) => ({
      iso6393,
      articleCount: 30,
    }));
    decls.push({ iso6393: 'zz', articleCount: 29 }, { iso6393: 'a', articleCount: 1 });
    // 'C' sorts before lower case in code-point order
    expect(udhrSplit(decls)).toEqual({ train: ['C', 'a', 'b', 'e', 'f', 'g', 'i'], heldOut: ['d', 'h'] });
  });
});

describe('parseDeclaration', () => {
  it('reads the paragraphs of each article: <p>, list items once, no headings, no placeholders', () => {
    const html = `<!doctype html><html><body><h1>Title</h1><header><p>Preamble</p></header>
      <article data-number="2"><h2>Article 2</h2><p>  Everyone  is\n entitled. </p></article>
      <article data-number="1"><h2>Article 1</h2><ol><li><p>One.</p></li><li>Two, <em>loose</em>.</li></ol>
        <p>@</p><p>&amp;1</p><p>Cafe\u0301.</p></article>
      <article><p>No number.</p></article></body></html>`;
    const d = parseDeclaration(html);
    expect(d.articleCount).toBe(3);
    expect([...d.articles]).toEqual([
      [2, ['Everyone is entitled.']],
      [1, ['One.', 'Two, loose.', 'Café.']],
      [3, ['No number.']],
    ]);
  });
});

describe('loadUdhrCorpus (the installed udhr package)', () => {
  let corpus: TextCorpus;
  beforeAll(async () => {
    corpus = await loadUdhrCorpus();
  });

  it.skipIf(!existsSync(EXPECTED))('splits exactly as the reference lists of the split rule', () => {
    const train = corpus.train.map((c) => c.label);
    const heldOut = corpus.heldOut.map((c) => c.label);
    expect(heldOut).toEqual(codes('eval-codes.txt'));
    expect([...train, ...heldOut].sort()).toEqual(codes('all-codes.txt'));
  });

  it('holds out 110 of 440 codes, none of them among the training codes', () => {
    expect(corpus.heldOut.length).toBe(110);
    expect(corpus.train.length).toBe(330);
    const train = new Set(corpus.train.map((c) => c.label));
    expect(corpus.heldOut.filter((c) => train.has(c.label))).toEqual([]);
  });

  it('merges the declarations of one code article by article, whatever their scripts', () => {
    const srp = corpus.train.find((c) => c.label === 'srp')!;
    expect(srp.name).toBe('Serbian');
    expect(srp.articles.length).toBe(30);
    expect(srp.articles[0].some((p) => /^Сва људска бића/.test(p))).toBe(true);
    expect(srp.articles[0].some((p) => /^Sva ljudska bića/.test(p))).toBe(true);
    const rus = corpus.heldOut.find((c) => c.label === 'rus')!;
    expect([rus.script, corpus.train.find((c) => c.label === 'cmn')!.script]).toEqual(['Cyrl', 'Hani']);
  });

  it('gives every class text in most of its 30 articles, normalised, without placeholder paragraphs', () => {
    for (const c of [...corpus.train, ...corpus.heldOut]) {
      expect(c.articles.filter((a) => a.length > 0).length).toBeGreaterThanOrEqual(25);
      for (const p of c.articles.flat()) {
        expect(p).toBe(p.normalize('NFC').replace(/\s+/g, ' ').trim());
        expect(p).toMatch(/\p{L}/u);
      }
    }
  });

  it('gives held-out snippets of whole characters, cut from a paragraph of their own class', () => {
    const rng = Rng.fromSeed(5);
    const byLabel = new Map(
      corpus.heldOut.map((c) => [c.label, c.articles.flat().map((p) => graphemes(p).join('\u0000'))]),
    );
    for (let e = 0; e < 40; e++) {
      const ep = sampleTextEpisode(
        corpus.heldOut,
        { ways: 10, shots: 2, queries: 3, snippet: 30, confusable: e % 2 === 1 },
        rng,
      );
      const texts = [...ep.supportTexts, ...ep.queryTexts];
      const labels = [...ep.supportLabels, ...ep.queryLabels];
      texts.forEach((t, i) => {
        const chars = graphemes(t);
        expect(chars.length).toBeGreaterThan(0);
        // about 30: a snippet ends at the word boundary nearest its length, at most half of it past
        expect(chars.length).toBeLessThanOrEqual(45);
        // the snippet's characters are a run of one paragraph's characters (joined by a separator no text has)
        const run = chars.join('\u0000');
        expect(byLabel.get(ep.classes[labels[i]])!.some((p) => p.includes(run))).toBe(true);
      });
    }
  });

  it('lets the trigram baseline tell held-out languages apart from whole paragraphs', () => {
    const rng = Rng.fromSeed(11);
    let right = 0;
    let total = 0;
    for (let e = 0; e < 20; e++) {
      const ep = sampleTextEpisode(
        corpus.heldOut,
        { ways: 20, shots: 1, queries: 5, snippet: 0, confusable: false },
        rng,
      );
      trigramBaseline(ep).forEach((p, i) => (right += p === ep.queryLabels[i] ? 1 : 0));
      total += ep.queryLabels.length;
    }
    // 93 % over 600 such episodes (docs/LANGUAGE-DATA.md); chance is 5 %
    expect(right / total).toBeGreaterThan(0.85);
  });
});
