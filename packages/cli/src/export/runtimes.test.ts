import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultFewShotConfig,
  defaultModelConfig,
  disposeBatch,
  disposeEpisode,
  episodeTensors,
  exportNetwork,
  type FewShotConfig,
  type FewShotMethodName,
  FewShotModel,
  fewShotNetwork,
  HypernetModel,
  mlpNetwork,
  Rng,
  sampleSinusoidTask,
  sinusoidBatch,
  tf,
} from '@hypermeta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExportDir } from './export-dir.js';
import { runOfficialRuntimes } from './official-runtimes.js';

/**
 * The exported files, run by the official runtimes, must give hypermeta's own outputs on the same
 * inputs: every score within TOLERANCE × max(1, largest |score| of the batch).
 */
const TOLERANCE = 1e-4;

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function relError(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  return Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]))) / scale;
}

/** Writes the export like `adapt --export`, loads it with both runtimes and checks them against `want`. */
function checkRoundTrip(name: string, files: Record<string, Uint8Array>, x: tf.Tensor, want: Float32Array) {
  const dir = join(tmp, name);
  writeExportDir(dir, files, false);
  const out = runOfficialRuntimes(dir, x.dataSync() as Float32Array, x.shape);
  expect(out.outputShape).toEqual([x.shape[0], want.length / x.shape[0]]);
  const errors = { tfjs: relError(out.tfjs, want), onnx: relError(out.onnx, want) };
  expect(errors.tfjs, `${name}: tfjs-layers`).toBeLessThan(TOLERANCE);
  expect(errors.onnx, `${name}: onnxruntime`).toBeLessThan(TOLERANCE);
  return errors;
}

const tiny = (method: FewShotMethodName, extra: Partial<FewShotConfig> = {}): FewShotConfig => ({
  ...defaultFewShotConfig('omniglot', method),
  filters: 8,
  generatorHidden: [16],
  pretrainClasses: 6,
  headSteps: 10,
  ...extra,
});

/** Random strokes: class c inks a pixel with probability 0.1 + 0.05·c, support class-major. */
function randomEpisode(ways: number, shots: number, queries: number, seed: number) {
  const rng = Rng.fromSeed(seed, 'images');
  const image = (c: number) => rng.fill(28 * 28, (r) => (r.uniform() < 0.1 + 0.05 * c ? 1 : 0));
  const support = new Float32Array(ways * shots * 784);
  for (let i = 0; i < ways * shots; i++) support.set(image(Math.floor(i / shots)), i * 784);
  const query = new Float32Array(queries * 784);
  for (let i = 0; i < queries; i++) query.set(image(i % ways), i * 784);
  return {
    ways,
    shots,
    support,
    supportShape: [ways * shots, 28, 28, 1] as [number, number, number, number],
    query,
    queryShape: [queries, 28, 28, 1] as [number, number, number, number],
  };
}

describe('exported networks run by tfjs-layers and onnxruntime-node', () => {
  it('sinusoid: the adapted MLP gives the task network’s predictions', () => {
    const model = new HypernetModel(defaultModelConfig('sinusoid'), 5);
    const rng = Rng.fromSeed(8);
    const batch = sinusoidBatch([sampleSinusoidTask(rng)], 5, 50, rng);
    const theta = model.adapt(batch, Rng.fromSeed(1));
    const x = tf.reshape(batch.queryX, [50, 1]);
    const want = tf.tidy(() => model.parts.taskNet.forward(theta, batch.queryX).dataSync()) as Float32Array;
    const spec = mlpNetwork(model.parts.taskNet, theta, { inputNote: 'x', outputNote: 'y' });
    const exported = exportNetwork(spec);
    expect(Object.keys(exported.files).sort()).toEqual(['model.json', 'model.onnx', 'model.weights.bin']);
    expect(exported.cost.params).toBe(1 * 40 + 40 + 40 * 40 + 40 + 40 + 1);
    checkRoundTrip('sinusoid', exported.files, x, want);
    tf.dispose([...theta, x]);
    disposeBatch(batch);
    model.dispose();
  });

  // maml, finetune and modulation are checked through the built CLI (export.e2e.test.ts): this
  // test environment loads tfjs-core's CommonJS build beside its ESM one, and ops between int32
  // and float32 tensors (their inner steps' one-hot labels, finetune's norm) fail here only.
  const cases: [string, FewShotConfig][] = [
    ['hypernet', tiny('hypernet')],
    ['protonet', tiny('protonet')],
  ];
  for (const [name, config] of cases) {
    it(`omniglot ${name}: the adapted classifier gives hypermeta's query logits`, () => {
      const model = new FewShotModel(config, 3);
      const ep = episodeTensors(randomEpisode(4, 2, 12, 21));
      const logits = model.queryLogits(ep);
      const want = logits.dataSync() as Float32Array;
      const labels = ['α', 'b', 'c,d', 'e"f'];
      const exported = exportNetwork(fewShotNetwork(model, ep, labels));
      expect(JSON.parse(new TextDecoder().decode(exported.files['labels.json']))).toEqual(labels);
      const errors = checkRoundTrip(name, exported.files, ep.query, want);
      console.log(
        `${name}: largest difference / max(1, |logit|): tfjs ${errors.tfjs.toExponential(1)}, onnx ${errors.onnx.toExponential(1)}`,
      );
      tf.dispose(logits);
      disposeEpisode(ep);
      model.dispose();
    });
  }
});
