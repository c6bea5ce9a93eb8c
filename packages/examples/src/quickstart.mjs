import { getFamily, MetaTrainer, Rng, sinusoidBatch, tf, useBackend } from '@hypermeta/core';
import '@hypermeta/backend-wasm'; // registers the 'wasm' backend

const backend = await useBackend('auto'); // node if installed, else wasm, else cpu
const family = getFamily('sinusoid'); // a task family: its defaults, model, learner and evaluation
const model = family.build(family.defaultModelConfig('hypernet'), 1);
const train = { ...family.defaultTrainConfig('hypernet'), steps: 2000 };
const trainer = new MetaTrainer(family.learner(model, undefined, train), train);
while (trainer.step < train.steps) trainer.runStep();

// Adapt to a new task, y = 2 sin(x - 1), from five points: one forward pass, no gradient step.
const batch = sinusoidBatch([{ amplitude: 2, phase: 1 }], 5, 50, Rng.fromSeed(123));
const prediction = model.predict(batch, Rng.fromSeed(0)); // [1, 50, 1]
const taskMse = tf.losses.meanSquaredError(batch.queryY, prediction).dataSync()[0];
const held = family.evaluate(model, undefined, { tasks: 200, shots: 5, seed: 1 }); // tasks training never saw
console.log(
  JSON.stringify({ backend, steps: trainer.step, taskMse, [held.metric]: held.value, ci95: held.ci95 }),
);
