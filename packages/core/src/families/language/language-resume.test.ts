import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, serializeCheckpoint } from '../../checkpoint/checkpoint.js';
import { localPartRunner } from '../../train/split-step.js';
import { MetaTrainer, type TrainerState } from '../../train/meta-trainer.js';
import type { TrainConfig } from '../../train/train-config.js';
import '../index.js';
import { defaultLanguageTrain, languageFamily } from './family.js';
import { syntheticCorpus } from './fixtures.js';
import { defaultLanguageConfig, type LanguageConfig } from './language-config.js';
import type { LanguageModel } from './language-model.js';

// The web demo's language model (scripts/language-demo-config.json), narrowed to test size.
const base = defaultLanguageConfig('hypernet');
const config: LanguageConfig = {
  ...base,
  encoder: { ...base.encoder, buckets: 256, gramDim: 8, hidden: [16], width: 8, normalize: true, sketch: 32 },
  generatorHidden: [8],
  attentionDim: 4,
  trainWays: 4,
  snippet: 16,
};
const train: TrainConfig = { ...defaultLanguageTrain('hypernet'), steps: 40, warmup: 2, seed: 3 };
// 20 training languages: every fifth (4) is a calibration language, enough for 4-way episodes
const corpus = syntheticCorpus(2, 20, 4);
const trainer = (m: LanguageModel, c: TrainConfig, resume?: TrainerState) =>
  new MetaTrainer(languageFamily.learner(m, corpus, c), c, resume);

/** Steps as `train --resume` runs them: split into episodes, computed in this thread. */
async function steps(t: MetaTrainer, n: number): Promise<{ numTensors: number; numBytes: number }[]> {
  const run = localPartRunner(t.learner as never);
  const counts = [];
  for (let i = 0; i < n; i++) {
    await t.runSplitStep(run);
    const { numTensors, numBytes } = tf.memory();
    counts.push({ numTensors, numBytes });
  }
  return counts;
}

describe('a resumed language run', () => {
  it('holds exactly the tensors of a fresh run at every step, and reaches the same weights', async () => {
    const S = 3;
    const K = 8;
    const start = tf.memory().numTensors;
    const model = languageFamily.build(config, train.seed);
    const fresh = trainer(model, train);
    await steps(fresh, S);
    const files = await serializeCheckpoint(model, fresh);
    const freshCounts = await steps(fresh, K);
    const freshWeights = model.store.readFlat();
    fresh.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);

    // What resumedJob does: load, build the trainer, restore Adam, free the loaded moments.
    const loaded = await loadCheckpoint<LanguageModel>(async (name) => files.get(name)!);
    const resumed = trainer(loaded.model, loaded.manifest.train, loaded.manifest.state);
    resumed.adam.load(loaded.optimizer, loaded.manifest.state.adamCount, 'optimizer.bin');
    tf.dispose(Object.values(loaded.optimizer));
    const resumedCounts = await steps(resumed, K);
    const resumedWeights = loaded.model.store.readFlat();
    resumed.dispose();
    loaded.model.dispose();

    expect(resumed.step).toBe(S + K);
    // Deterministic counts: a tensor left behind per step on either path shows as a difference.
    expect(resumedCounts).toEqual(freshCounts);
    expect(new Set(resumedCounts.map((c) => c.numTensors)).size).toBe(1);
    expect(resumedWeights).toEqual(freshWeights);
    expect(tf.memory().numTensors).toBe(start);
  });
});
