import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError, InvalidArgumentError } from '@hypermeta/core';
import { type ModelSource, shippedModel } from './model-files.js';
import { SHIPPED_MODELS } from './models/index.js';

export type { ModelSource } from './model-files.js';

/** Bytes of model files (the XML and its includes and assets) read for one model. */
const MAX_MODEL_BYTES = 64 * 1024 * 1024;

/** Paths named by `file="…"` attributes (includes, meshes, textures, height fields). */
function referencedFiles(xml: string): string[] {
  return [...xml.matchAll(/\bfile\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
}

/** Asset folders a model's compiler element names: assets are looked for there too. */
function assetDirs(xml: string): string[] {
  return [...xml.matchAll(/\b(?:meshdir|texturedir|assetdir)\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
}

/**
 * Reads an MJCF file and the files it references, relative to its folder (MuJoCo resolves
 * includes that way), recursively through included XML. A referenced file that is missing is left
 * for MuJoCo to report, in its own words, when it loads the model.
 */
function readModelFiles(path: string): Map<string, Uint8Array> {
  const root = dirname(path);
  const files = new Map<string, Uint8Array>();
  let bytes = 0;
  const visit = (rel: string, dirs: string[]) => {
    if (files.has(rel)) return;
    const full = join(root, rel);
    if (!existsSync(full) || !statSync(full).isFile()) return;
    const data = readFileSync(full);
    bytes += data.length;
    if (bytes > MAX_MODEL_BYTES)
      throw new DataError(`${path}: the model and its files exceed ${MAX_MODEL_BYTES / 1048576} MiB`);
    files.set(rel, data);
    if (!rel.toLowerCase().endsWith('.xml')) return;
    const text = data.toString('utf8');
    const moreDirs = [...dirs, ...assetDirs(text)];
    for (const ref of referencedFiles(text)) {
      visit(join(dirname(rel), ref), moreDirs);
      for (const d of moreDirs) visit(join(d, ref), moreDirs);
    }
  };
  const main = basename(path);
  if (!existsSync(path) || !statSync(path).isFile()) throw new DataError(`${path}: no such model file`);
  visit(main, []);
  return files;
}

function fromFile(path: string, source: string): ModelSource {
  const file = resolve(path);
  const files = readModelFiles(file);
  return { name: basename(file).replace(/\.xml$/i, ''), source, file, main: basename(file), files };
}

export interface ModelChoice {
  /** A shipped model's name, or a dm_control suite name found in `suiteDir`. */
  env?: string;
  modelXml?: string;
  suiteDir?: string;
}

/**
 * The model a command asks for: --model-xml FILE; else --env NAME from --suite-dir DIR when that
 * folder holds NAME.xml; else a model hypermeta ships.
 */
export function chooseModel(c: ModelChoice): ModelSource {
  if (c.modelXml) {
    if (c.env) throw new InvalidArgumentError('give --env or --model-xml, not both');
    return fromFile(c.modelXml, 'file');
  }
  const name = c.env ?? 'pendulum';
  if (c.suiteDir) {
    if (!existsSync(c.suiteDir)) throw new DataError(`${c.suiteDir}: no such suite folder`);
    const path = join(c.suiteDir, `${name}.xml`);
    if (existsSync(path)) return fromFile(path, 'suite');
  }
  const shipped = shippedModel(name);
  if (shipped === undefined)
    throw new InvalidArgumentError(
      `unknown environment '${name}' (shipped: ${Object.keys(SHIPPED_MODELS).join(', ')}; ` +
        `dm_control's need --suite-dir DIR with ${name}.xml in it, any MJCF file --model-xml FILE)`,
    );
  return shipped;
}
