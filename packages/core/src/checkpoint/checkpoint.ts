import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, HypermetaError } from '../errors/errors.js';
import { familyOf } from '../families/registry.js';
import type { SavedModel } from '../model/saved-model.js';
import type { MetaTrainer, TrainerState } from '../train/meta-trainer.js';
import { type TrainConfig, validateTrainConfig } from '../train/train-config.js';
import { sha256Hex } from './sha256.js';

export const CHECKPOINT_FORMAT = 'hypermeta-checkpoint';
export const CHECKPOINT_VERSION = 1;
/** Written last: its presence marks a complete checkpoint. */
export const MANIFEST_FILE = 'checkpoint.json';

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  createdAt: string;
  backend: string;
  /** The model's own config; `task` names the family that builds it (families/registry.ts). */
  model: SavedModel['config'] & Record<string, unknown>;
  train: TrainConfig;
  state: TrainerState;
  /** Byte length and SHA-256 of every other file. */
  files: Record<string, { bytes: number; sha256: string }>;
}

const text = new TextEncoder();

/** tf.io weights format: a JSON manifest naming one binary shard. */
async function encodeGroup(
  named: { name: string; tensor: tf.Tensor }[],
  bin: string,
): Promise<[Uint8Array, Uint8Array]> {
  const { data, specs } = await tf.io.encodeWeights(named);
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [bin], weights: specs }];
  return [text.encode(JSON.stringify(manifest, null, 1)), new Uint8Array(data as ArrayBuffer)];
}

/** Every file of a checkpoint, by name; the caller writes them (the manifest last). */
export async function serializeCheckpoint(
  model: SavedModel,
  trainer: MetaTrainer,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const [wj, wb] = await encodeGroup(model.store.named(), 'weights.bin');
  const [oj, ob] = await encodeGroup(trainer.adam.named(), 'optimizer.bin');
  files.set('weights.json', wj).set('weights.bin', wb).set('optimizer.json', oj).set('optimizer.bin', ob);
  const sums: CheckpointManifest['files'] = {};
  for (const [name, bytes] of files) sums[name] = { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) };
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    backend: tf.getBackend(),
    model: model.config as CheckpointManifest['model'],
    train: trainer.config,
    state: trainer.state(),
    files: sums,
  };
  files.set(MANIFEST_FILE, text.encode(JSON.stringify(manifest, null, 2)));
  return files;
}

export type FileReader = (name: string) => Promise<Uint8Array>;

export interface LoadedCheckpoint<M extends SavedModel = SavedModel> {
  manifest: CheckpointManifest;
  model: M;
  /** Optimizer moments by slot name (empty with `optimizer: false`); the caller disposes them (or hands them to a trainer). */
  optimizer: Record<string, tf.Tensor>;
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new CheckpointError(`${name}: not valid JSON (truncated or corrupt)`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseManifest(value: unknown): CheckpointManifest {
  const m = value as Partial<CheckpointManifest>;
  if (m?.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(
      `${MANIFEST_FILE}: not a hypermeta checkpoint (format is ${JSON.stringify(m?.format)})`,
    );
  if (m.version !== CHECKPOINT_VERSION)
    throw new CheckpointError(
      `${MANIFEST_FILE}: version ${JSON.stringify(m.version)} is not supported (this build reads version ${CHECKPOINT_VERSION})`,
    );
  if (![m.model, m.train, m.state, m.files].every(isObject))
    throw new CheckpointError(
      `${MANIFEST_FILE}: the model, train, state and files sections must all be JSON objects`,
    );
  const s = m.state!;
  // RNG words are 32-bit integers (signed or not, depending on who wrote them).
  const words = (w: unknown) =>
    Array.isArray(w) && w.length === 4 && w.every((x) => Number.isInteger(x) && Math.abs(x) <= 0xffffffff);
  if (
    !Number.isInteger(s.step) ||
    s.step < 0 ||
    !Number.isInteger(s.adamCount) ||
    s.adamCount < 0 ||
    !words(s.taskRng) ||
    !words(s.noiseRng)
  ) {
    throw new CheckpointError(`${MANIFEST_FILE}: the trainer state is malformed`);
  }
  return m as CheckpointManifest;
}

async function readVerified(read: FileReader, name: string, m: CheckpointManifest): Promise<Uint8Array> {
  const expect = Object.hasOwn(m.files, name) ? m.files[name] : undefined;
  if (!isObject(expect) || !Number.isInteger(expect.bytes) || typeof expect.sha256 !== 'string') {
    throw new CheckpointError(`${MANIFEST_FILE}: does not list ${name} with its byte length and SHA-256`);
  }
  const bytes = await read(name);
  if (bytes.byteLength !== expect.bytes)
    throw new CheckpointError(
      `${name}: ${bytes.byteLength} bytes, the manifest says ${expect.bytes} (truncated?)`,
    );
  if ((await sha256Hex(bytes)) !== expect.sha256)
    throw new CheckpointError(`${name}: checksum mismatch (corrupt file)`);
  return bytes;
}

/** A verified weights group: its specs and binary file, not yet decoded into tensors. */
interface RawGroup {
  specs: tf.io.WeightsManifestEntry[];
  bin: string;
  bytes: Uint8Array;
}

/** Reads `X.json` and `X.bin` (the only binary name accepted), verified; shapes must account for every byte. */
async function readGroup(read: FileReader, m: CheckpointManifest, json: string): Promise<RawGroup> {
  const manifest = parseJson(await readVerified(read, json, m), json) as tf.io.WeightsManifestConfig;
  const group = manifest?.[0];
  const bin = json.replace(/\.json$/, '.bin');
  if (
    !Array.isArray(manifest) ||
    manifest.length !== 1 ||
    !isObject(group) ||
    !Array.isArray(group.paths) ||
    group.paths.length !== 1 ||
    !Array.isArray(group.weights)
  ) {
    throw new CheckpointError(`${json}: expected one weights group with one binary file`);
  }
  if (group.paths[0] !== bin)
    throw new CheckpointError(
      `${json}: names binary file ${JSON.stringify(group.paths[0]).slice(0, 80)}, expected ${bin}`,
    );
  const bytes = await readVerified(read, bin, m);
  const names = new Set<string>();
  let expected = 0;
  for (const w of group.weights) {
    if (
      !isObject(w) ||
      typeof w.name !== 'string' ||
      names.has(w.name) ||
      w.dtype !== 'float32' ||
      !Array.isArray(w.shape) ||
      !w.shape.every((d) => Number.isInteger(d) && d > 0)
    ) {
      throw new CheckpointError(
        `${json}: malformed or repeated weight entry ${JSON.stringify(w).slice(0, 80)}`,
      );
    }
    names.add(w.name);
    // Checked as it grows, so absurd shapes are refused before any arithmetic overflows or memory is asked for.
    expected += 4 * w.shape.reduce((a, b) => a * b, 1);
    if (!(expected <= bytes.byteLength)) break;
  }
  if (bytes.byteLength !== expected)
    throw new CheckpointError(
      `${bin}: ${bytes.byteLength} bytes, but ${json} describes ${expected > bytes.byteLength ? 'more' : expected}`,
    );
  return { specs: group.weights, bin, bytes };
}

function decodeGroup({ specs, bin, bytes }: RawGroup): Record<string, tf.Tensor> {
  const copy = bytes.slice().buffer;
  const map = tf.io.decodeWeights(copy, specs);
  for (const [name, t] of Object.entries(map)) {
    const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(t))).dataSync()[0]);
    if (bad) {
      tf.dispose(Object.values(map));
      throw new CheckpointError(`${bin}: weight '${name}' holds NaN or infinite values`);
    }
  }
  return map;
}

/** Reads and validates a checkpoint: schema, version, sizes, checksums, shapes, finiteness. No code is evaluated. */
export async function loadCheckpoint<M extends SavedModel = SavedModel>(
  read: FileReader,
  options: { optimizer?: boolean } = {},
): Promise<LoadedCheckpoint<M>> {
  const manifest = parseManifest(parseJson(await read(MANIFEST_FILE), MANIFEST_FILE));
  // Every file is verified before any tensor exists: a damaged checkpoint allocates nothing.
  const rawWeights = await readGroup(read, manifest, 'weights.json');
  // Inference needs no optimizer moments (two thirds of the bytes): browsers then fetch less.
  const rawOptimizer =
    options.optimizer === false ? undefined : await readGroup(read, manifest, 'optimizer.json');
  let model: M;
  try {
    validateTrainConfig(manifest.train);
    const family = familyOf(manifest.model);
    // From shapes alone: a config asking for more parameters than weights.bin holds allocates nothing.
    const count = family.paramCount(manifest.model);
    if (4 * count !== rawWeights.bytes.byteLength) {
      throw new CheckpointError(
        `the parameter shapes of the model configuration need ${count} values, weights.bin holds ${rawWeights.bytes.byteLength / 4}`,
      );
    }
    model = family.build(manifest.model, manifest.train.seed) as M;
  } catch (e) {
    // Untrusted values reach the builders: whatever they throw is a checkpoint problem, not a crash.
    const why =
      e instanceof HypermetaError ? e.message : `invalid model configuration (${(e as Error)?.message ?? e})`;
    throw new CheckpointError(`${MANIFEST_FILE}: ${why}`);
  }
  try {
    const weights = decodeGroup(rawWeights);
    try {
      model.store.assign(weights, 'weights.bin');
    } finally {
      tf.dispose(Object.values(weights));
    }
    const optimizer = rawOptimizer ? decodeGroup(rawOptimizer) : {};
    return { manifest, model, optimizer };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
