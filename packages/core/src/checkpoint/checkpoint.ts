import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, HypermetaError } from '../errors/errors.js';
import { buildModel, type SavedModel } from '../model/build-model.js';
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
  /** The model's own config; `task` selects the builder (see model/build-model.ts). */
  model: SavedModel['config'] & Record<string, unknown>;
  train: TrainConfig;
  state: TrainerState;
  /** Byte length and SHA-256 of every other file. */
  files: Record<string, { bytes: number; sha256: string }>;
}

const text = new TextEncoder();

/** tf.io weights format: a JSON manifest naming one binary shard. */
async function encodeGroup(named: { name: string; tensor: tf.Tensor }[], bin: string): Promise<[Uint8Array, Uint8Array]> {
  const { data, specs } = await tf.io.encodeWeights(named);
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [bin], weights: specs }];
  return [text.encode(JSON.stringify(manifest, null, 1)), new Uint8Array(data as ArrayBuffer)];
}

/** Every file of a checkpoint, by name; the caller writes them (the manifest last). */
export async function serializeCheckpoint(model: SavedModel, trainer: MetaTrainer): Promise<Map<string, Uint8Array>> {
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
  /** Optimizer moments by slot name; the caller disposes them (or hands them to a trainer). */
  optimizer: Record<string, tf.Tensor>;
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new CheckpointError(`${name}: not valid JSON (truncated or corrupt)`);
  }
}

function parseManifest(value: unknown): CheckpointManifest {
  const m = value as Partial<CheckpointManifest>;
  if (m?.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`${MANIFEST_FILE}: not a hypermeta checkpoint (format is ${JSON.stringify(m?.format)})`);
  if (m.version !== CHECKPOINT_VERSION) throw new CheckpointError(`${MANIFEST_FILE}: version ${m.version} is not supported (this build reads version ${CHECKPOINT_VERSION})`);
  if (!m.model || !m.train || !m.state || !m.files) throw new CheckpointError(`${MANIFEST_FILE}: missing model, train, state or files section`);
  const s = m.state;
  const words = (w: unknown) => Array.isArray(w) && w.length === 4 && w.every(Number.isInteger);
  if (!Number.isInteger(s.step) || s.step < 0 || !Number.isInteger(s.adamCount) || !words(s.taskRng) || !words(s.noiseRng)) {
    throw new CheckpointError(`${MANIFEST_FILE}: the trainer state is malformed`);
  }
  return m as CheckpointManifest;
}

async function readVerified(read: FileReader, name: string, m: CheckpointManifest): Promise<Uint8Array> {
  const expect = m.files[name];
  if (!expect) throw new CheckpointError(`${MANIFEST_FILE}: does not list ${name}`);
  const bytes = await read(name);
  if (bytes.byteLength !== expect.bytes) throw new CheckpointError(`${name}: ${bytes.byteLength} bytes, the manifest says ${expect.bytes} (truncated?)`);
  if ((await sha256Hex(bytes)) !== expect.sha256) throw new CheckpointError(`${name}: checksum mismatch (corrupt file)`);
  return bytes;
}

async function decodeGroup(read: FileReader, m: CheckpointManifest, json: string): Promise<Record<string, tf.Tensor>> {
  const manifest = parseJson(await readVerified(read, json, m), json) as tf.io.WeightsManifestConfig;
  const group = manifest?.[0];
  if (!Array.isArray(manifest) || manifest.length !== 1 || !group || group.paths?.length !== 1 || !Array.isArray(group.weights)) {
    throw new CheckpointError(`${json}: expected one weights group with one binary file`);
  }
  let expected = 0;
  for (const w of group.weights) {
    if (typeof w?.name !== 'string' || w.dtype !== 'float32' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new CheckpointError(`${json}: malformed weight entry ${JSON.stringify(w).slice(0, 80)}`);
    }
    expected += 4 * w.shape.reduce((a, b) => a * b, 1);
  }
  const bin = group.paths[0];
  const bytes = await readVerified(read, bin, m);
  if (bytes.byteLength !== expected) throw new CheckpointError(`${bin}: ${bytes.byteLength} bytes, ${json} describes ${expected}`);
  const copy = bytes.slice().buffer;
  const map = tf.io.decodeWeights(copy, group.weights);
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
export async function loadCheckpoint<M extends SavedModel = SavedModel>(read: FileReader): Promise<LoadedCheckpoint<M>> {
  const manifest = parseManifest(parseJson(await read(MANIFEST_FILE), MANIFEST_FILE));
  let model: M;
  try {
    validateTrainConfig(manifest.train);
    model = buildModel(manifest.model, manifest.train.seed) as M;
  } catch (e) {
    if (e instanceof HypermetaError) throw new CheckpointError(`${MANIFEST_FILE}: ${e.message}`);
    throw e;
  }
  try {
    const weights = await decodeGroup(read, manifest, 'weights.json');
    try {
      model.store.assign(weights, 'weights.bin');
    } finally {
      tf.dispose(Object.values(weights));
    }
    const optimizer = await decodeGroup(read, manifest, 'optimizer.json');
    return { manifest, model, optimizer };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
