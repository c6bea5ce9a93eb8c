import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '../index.js';
import { smallModel } from '../conformance/fixtures.js';
import { CheckpointError } from '../errors/errors.js';
import { defaultTrainConfig } from '../train/train-config.js';
import { sinusoidFamily } from '../families/sinusoid/family.js';
import type { HypernetModel } from '../model/hypernet-model.js';
import type { TrainConfig } from '../train/train-config.js';
import { MetaTrainer, type TrainerState } from '../train/meta-trainer.js';

const sinusoidTrainer = (m: HypernetModel, c: TrainConfig, resume?: TrainerState) =>
  new MetaTrainer(sinusoidFamily.learner(m, undefined, c), c, resume);
import { loadCheckpoint, serializeCheckpoint, MANIFEST_FILE } from './checkpoint.js';

const cfg = { ...defaultTrainConfig(), steps: 20, metaBatch: 4 };
const values = (vs: readonly tf.Tensor[]) => vs.flatMap((v) => Array.from(v.dataSync()));

async function saved(steps: number) {
  const model = smallModel({
    task: 'sinusoid',
    conditioning: 'noise',
    inner: { steps: 1, target: 'params', lr: 0.01, order: 1, learnLr: true },
  });
  const trainer = sinusoidTrainer(model, cfg);
  for (let i = 0; i < steps; i++) trainer.runStep();
  return { model, trainer, files: await serializeCheckpoint(model, trainer) };
}

const reader = (files: Map<string, Uint8Array>) => async (name: string) => {
  const f = files.get(name);
  if (!f) throw new CheckpointError(`${name}: missing`);
  return f;
};

describe('checkpoints', () => {
  it('round-trip weights, optimizer moments and RNG state', async () => {
    await tf.setBackend('cpu');
    const { model, trainer, files } = await saved(3);
    expect([...files.keys()].sort()).toEqual([
      'checkpoint.json',
      'optimizer.bin',
      'optimizer.json',
      'weights.bin',
      'weights.json',
    ]);
    const loaded = await loadCheckpoint(reader(files));
    expect(values(loaded.model.store.variables)).toEqual(values(model.store.variables));
    expect(loaded.manifest.state).toEqual(trainer.state());
    expect(Object.keys(loaded.optimizer)).toHaveLength(2 * model.store.variables.length);
    tf.dispose(Object.values(loaded.optimizer));
    loaded.model.dispose();
    trainer.dispose();
    model.dispose();
  });

  it('loads for inference without reading the optimizer files', async () => {
    const { model, trainer, files } = await saved(2);
    const noOptimizer = new Map([...files].filter(([n]) => !n.startsWith('optimizer')));
    const loaded = await loadCheckpoint(reader(noOptimizer), { optimizer: false });
    expect(values(loaded.model.store.variables)).toEqual(values(model.store.variables));
    expect(loaded.optimizer).toEqual({});
    await expect(loadCheckpoint(reader(noOptimizer))).rejects.toThrow(/optimizer/);
    loaded.model.dispose();
    trainer.dispose();
    model.dispose();
  });

  it('resumes to bit-identical parameters', async () => {
    const straight = await saved(6);
    const half = await saved(3);
    const loaded = await loadCheckpoint<HypernetModel>(reader(half.files));
    const resumed = sinusoidTrainer(loaded.model, loaded.manifest.train, loaded.manifest.state);
    resumed.adam.load(loaded.optimizer, loaded.manifest.state.adamCount, 'optimizer.bin');
    tf.dispose(Object.values(loaded.optimizer));
    for (let i = 0; i < 3; i++) resumed.runStep();
    expect(values(loaded.model.store.variables)).toEqual(values(straight.model.store.variables));
    for (const r of [straight, half]) {
      r.trainer.dispose();
      r.model.dispose();
    }
    resumed.dispose();
    loaded.model.dispose();
  });

  it('names the file and the problem when a checkpoint is damaged', async () => {
    const { model, trainer, files } = await saved(1);
    const damaged = (name: string, f: (b: Uint8Array) => Uint8Array) =>
      new Map([...files].map(([n, b]) => [n, n === name ? f(b) : b]));
    const flip = (b: Uint8Array) => {
      const c = b.slice();
      c[c.length >> 1] ^= 0xff;
      return c;
    };
    await expect(loadCheckpoint(reader(damaged('weights.bin', (b) => b.slice(0, 10))))).rejects.toThrow(
      /weights.bin: 10 bytes, the manifest says/,
    );
    await expect(loadCheckpoint(reader(damaged('weights.bin', flip)))).rejects.toThrow(
      /weights.bin: checksum mismatch/,
    );
    await expect(loadCheckpoint(reader(damaged(MANIFEST_FILE, (b) => b.slice(0, 40))))).rejects.toThrow(
      /checkpoint.json: not valid JSON/,
    );
    const manifest = JSON.parse(new TextDecoder().decode(files.get(MANIFEST_FILE)));
    const withManifest = (m: object) =>
      new Map([...files, [MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(m))]]);
    await expect(loadCheckpoint(reader(withManifest({ ...manifest, version: 99 })))).rejects.toThrow(
      /version 99 is not supported/,
    );
    await expect(
      loadCheckpoint(reader(withManifest({ ...manifest, model: { ...manifest.model, codeSize: 7 } }))),
    ).rejects.toThrow(/shape/);
    await expect(
      loadCheckpoint(
        reader(withManifest({ ...manifest, model: { ...manifest.model, generator: { kind: 'evil' } } })),
      ),
    ).rejects.toThrow(CheckpointError);
    const before = tf.memory().numTensors;
    await loadCheckpoint(reader(damaged('weights.bin', flip))).catch(() => {});
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    model.dispose();
  });

  it('refuses hostile manifests before building or allocating anything', async () => {
    const { model, trainer, files } = await saved(1);
    const manifest = JSON.parse(new TextDecoder().decode(files.get(MANIFEST_FILE)));
    const withFile = (name: string, value: unknown) =>
      new Map([...files, [name, new TextEncoder().encode(JSON.stringify(value))]]);
    const withManifest = (m: object) => withFile(MANIFEST_FILE, m);
    const before = tf.memory().numTensors;
    const cases: [object, RegExp][] = [
      [{ ...manifest, state: 'x' }, /sections must all be JSON objects/],
      [{ ...manifest, files: [] }, /sections must all be JSON objects/],
      [{ ...manifest, state: { ...manifest.state, adamCount: -1 } }, /trainer state is malformed/],
      [
        { ...manifest, state: { ...manifest.state, taskRng: [1, 2, 3, 2 ** 40] } },
        /trainer state is malformed/,
      ],
      [
        { ...manifest, files: { ...manifest.files, 'weights.bin': { bytes: '12', sha256: 5 } } },
        /does not list weights.bin/,
      ],
      [
        { ...manifest, train: { ...manifest.train, steps: 'many' } },
        /checkpoint.json: steps must be an integer/,
      ],
      [
        { ...manifest, model: { ...manifest.model, taskNet: { sizes: ['1', 40] } } },
        /checkpoint.json: taskNet.sizes/,
      ],
      [{ ...manifest, model: { ...manifest.model, inner: null } }, /checkpoint.json: /],
      // 3000×3000 task network: a generator of ~10^9 floats, refused from shapes alone.
      [
        { ...manifest, model: { ...manifest.model, taskNet: { sizes: [1, 3000, 3000, 1] } } },
        /checkpoint.json: the model would have \d+ parameters \(more than 50000000\)/,
      ],
      // Under the ceiling but not what weights.bin holds.
      [
        { ...manifest, model: { ...manifest.model, taskNet: { sizes: [1, 300, 300, 1] } } },
        /parameter shapes of the model configuration need \d+ values, weights.bin holds/,
      ],
    ];
    for (const [m, pattern] of cases)
      await expect(loadCheckpoint(reader(withManifest(m)))).rejects.toThrow(pattern);
    // The binary file name inside weights.json is fixed: no path can be smuggled in.
    const weightsJson = JSON.parse(new TextDecoder().decode(files.get('weights.json')));
    const evil = withFile('weights.json', [{ ...weightsJson[0], paths: ['../../etc/passwd'] }]);
    const sum = async (b: Uint8Array) =>
      Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)), (x) =>
        x.toString(16).padStart(2, '0'),
      ).join('');
    const ej = evil.get('weights.json')!;
    const evilManifest = {
      ...manifest,
      files: { ...manifest.files, 'weights.json': { bytes: ej.byteLength, sha256: await sum(ej) } },
    };
    await expect(
      loadCheckpoint(
        reader(new Map([...evil, [MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(evilManifest))]])),
      ),
    ).rejects.toThrow(/names binary file "..\/..\/etc\/passwd", expected weights.bin/);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    model.dispose();
  });
});
