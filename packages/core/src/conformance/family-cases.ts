import * as tf from '@tensorflow/tfjs-core';
import { serializeCheckpoint } from '../checkpoint/checkpoint.js';
import { allFamilies } from '../families/registry.js';
import type { ModelConfigBase, TaskFamily } from '../families/task-family.js';
import { Rng } from '../random/rng.js';
import { MetaTrainer } from '../train/meta-trainer.js';
import { gradientsInOrder } from '../train/ordered-grads.js';
import { expectClose, onBackend, read } from './compare.js';
import type { ConformanceCase } from './tolerance.js';
import { TOLERANCE } from './tolerance.js';

function trainConfig(family: TaskFamily, config: ModelConfigBase) {
  return { ...family.defaultTrainConfig(config.method), ...family.conformance().train };
}

/** One meta-step's loss and gradients (in the store's order) for a tiny model of the family. */
function stepGradients(family: TaskFamily, config: ModelConfigBase): Float32Array[] {
  const fx = family.conformance();
  const model = family.build(config, 3);
  const learner = family.learner(model, fx.data(), trainConfig(family, config));
  const objective = learner.stepObjective(
    Rng.fromSeed(1, 'conformance-tasks'),
    Rng.fromSeed(2, 'conformance-noise'),
  );
  try {
    const { value, grads } = gradientsInOrder(objective.loss, model.store.variables);
    const out = [read(value), ...grads.map(read)];
    tf.dispose([value, ...grads]);
    return out;
  } finally {
    objective.dispose();
    model.dispose();
  }
}

/** Trains a few steps, checkpoints, evaluates (periodic and full): the tensor count must not move. */
async function trainEvaluateNoLeak(family: TaskFamily, config: ModelConfigBase): Promise<void> {
  const fx = family.conformance();
  const data = fx.data();
  const before = tf.memory().numTensors;
  const model = family.build(config, 3);
  const train = trainConfig(family, config);
  const trainer = new MetaTrainer(family.learner(model, data, train), train);
  try {
    for (let i = 0; i < train.steps; i++) trainer.runStep();
    await serializeCheckpoint(model, trainer);
    const periodic = family.periodicEval().run(model, data, train.seed);
    const full = family.evaluate(model, data, fx.evalOptions);
    for (const r of [periodic, full])
      if (!Number.isFinite(r.value)) throw new Error(`${r.metric} is ${r.value}`);
  } finally {
    trainer.dispose();
    model.dispose();
  }
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${after - before} tensors leaked (${config.method})`);
}

/**
 * The cases every registered family gets, on its own tiny configs and synthetic data: a new
 * family is checked on every backend without editing the suite.
 */
export function familyCases(tfName: string): ConformanceCase[] {
  return allFamilies().flatMap((family) => {
    const configs = family.conformance().configs;
    const methods = configs.map((c) => c.method).join(', ');
    return [
      {
        name: `${family.name}: meta-step loss and gradients agree with the cpu backend (${methods})`,
        run: async () => {
          for (const config of configs) {
            const ref = await onBackend('cpu', () => stepGradients(family, config));
            const got = await onBackend(tfName, () => stepGradients(family, config));
            got.forEach((g, i) =>
              expectClose(`${config.method} ${i ? `gradient ${i - 1}` : 'loss'}`, g, ref[i], TOLERANCE.vsCpu),
            );
          }
        },
      },
      {
        name: `${family.name}: training, checkpointing and evaluation leak no tensor (${methods})`,
        run: () =>
          onBackend(tfName, async () => {
            for (const config of configs) await trainEvaluateNoLeak(family, config);
          }),
      },
    ];
  });
}
