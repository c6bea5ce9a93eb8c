import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { defaultFewShotConfig, type FewShotMethodName } from '../fewshot/fewshot-config.js';
import { imageEpisodeSource } from '../data/image-episode-source.js';
import { FewShotLearner } from '../fewshot/fewshot-learner.js';
import { FewShotModel } from '../fewshot/fewshot-model.js';
import { syntheticCharacters } from '../fewshot/fixtures.js';
import { MetaTrainer } from './meta-trainer.js';
import { localPartRunner, type PartRunner } from './split-step.js';
import { defaultTrainConfig, type TrainConfig } from './train-config.js';

const source = () =>
  imageEpisodeSource(syntheticCharacters(5, 6, 4), {
    ways: 3,
    rotations: true,
    reflections: true,
    augment: true,
  });

function trainer(method: FewShotMethodName, metaBatch: number): MetaTrainer {
  const model = new FewShotModel(
    { ...defaultFewShotConfig('test', method), filters: 4, generatorHidden: [8] },
    7,
  );
  const train: TrainConfig = {
    ...defaultTrainConfig(),
    steps: 10,
    metaBatch,
    shotsMin: 1,
    shotsMax: 2,
    queries: 2,
    lr: 0.01,
    warmup: 0,
    seed: 11,
  };
  return new MetaTrainer(new FewShotLearner(model, source(), train), train);
}

const weights = (t: MetaTrainer) => t.learner.store.readFlat();

/** Runs the parts last to first, each through the flat weights it was handed: a stand-in for a worker pool. */
function reversedRunner(t: MetaTrainer): PartRunner {
  const learner = t.learner as FewShotLearner;
  return async (parts, w) => {
    expect(Array.from(w)).toEqual(Array.from(weights(t)));
    const out = [...parts].reverse().map((p) => learner.partGradient(p as never));
    return out.reverse();
  };
}

describe('split meta-steps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('match runStep bit for bit with one episode per step', async () => {
    const a = trainer('hypernet', 1);
    const b = trainer('hypernet', 1);
    for (let i = 0; i < 3; i++) {
      const ra = a.runStep();
      const rb = await b.runSplitStep(localPartRunner(b.learner as FewShotLearner));
      expect(rb).toEqual(ra);
    }
    expect(weights(b)).toEqual(weights(a));
  });

  it('give the same numbers whatever order or thread computes the parts', async () => {
    for (const method of ['hypernet', 'protonet', 'maml'] as const) {
      const a = trainer(method, 3);
      const b = trainer(method, 3);
      for (let i = 0; i < 2; i++) {
        const ra = await a.runSplitStep(localPartRunner(a.learner as FewShotLearner));
        const rb = await b.runSplitStep(reversedRunner(b));
        expect(rb).toEqual(ra);
      }
      expect(weights(b)).toEqual(weights(a));
      // and the weights did move
      expect(weights(a)).not.toEqual(trainer(method, 3).learner.store.readFlat());
    }
  });

  it("average the parts: the update follows the mean of the episodes' gradients", async () => {
    const t = trainer('protonet', 2);
    const learner = t.learner as FewShotLearner;
    let seen: Float32Array[] = [];
    const spy: PartRunner = async (parts) => {
      const out = parts.map((p) => learner.partGradient(p as never));
      seen = out.map((o) => o.grad);
      return out;
    };
    const r = await t.runSplitStep(spy);
    expect(seen).toHaveLength(2);
    const mean = seen[0].map((g, i) => (g + seen[1][i]) / 2);
    expect(r.gradNorm).toBeCloseTo(Math.hypot(...mean), 4);
  });

  it('leave no tensors behind', async () => {
    const t = trainer('hypernet', 2);
    const run = localPartRunner(t.learner as FewShotLearner);
    await t.runSplitStep(run);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await t.runSplitStep(run);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuse a learner whose steps cannot be split (finetune pre-training)', async () => {
    const model = new FewShotModel(
      { ...defaultFewShotConfig('test', 'finetune'), filters: 4, pretrainClasses: 48 },
      7,
    );
    const train: TrainConfig = { ...defaultTrainConfig(), steps: 2, metaBatch: 2, queries: 4 };
    const t = new MetaTrainer(new FewShotLearner(model, source(), train), train);
    await expect(t.runSplitStep(async () => [])).rejects.toThrow(/cannot split/);
  });
});
