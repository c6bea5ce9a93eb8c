// Library quick start: pick a backend, meta-train a hypernetwork briefly, adapt to a new task.
// Run: node packages/examples/src/quickstart.mjs [steps]
import { defaultModelConfig, defaultTrainConfig, evaluateSinusoid, HypernetModel, sinusoidTrainer, Rng, sinusoidBatch, tf, useBackend } from '@hypermeta/core';
import '@hypermeta/backend-wasm'; // registers the 'wasm' backend

const steps = Number(process.argv[2] ?? 2000);
tf.env().set('PROD', true);
const backend = await useBackend('auto'); // node if installed, else wasm, else cpu

// A set encoder reads the support pairs, an MLP hypernetwork emits the 1-40-40-1 task network.
const model = new HypernetModel(defaultModelConfig('encoder'), 1);
const trainer = sinusoidTrainer(model, { ...defaultTrainConfig(), steps });
for (let i = 0; i < steps; i++) trainer.runStep();

// Adapt to one new task y = 2 sin(x - 1) from five points, in one forward pass.
const task = { amplitude: 2, phase: 1 };
const batch = sinusoidBatch([task], 5, 50, Rng.fromSeed(123));
const pred = model.predict(batch, Rng.fromSeed(0));
const mse = tf.tidy(() => tf.mean(tf.squaredDifference(pred, batch.queryY)).dataSync()[0]);
const fresh = evaluateSinusoid(model, { tasks: 200, shots: 5, seed: 1 });
console.log(JSON.stringify({ backend, steps, taskMse: mse, evalMse: fresh.mse, evalCi95: fresh.ci95 }));

tf.dispose([pred, batch.supportX, batch.supportY, batch.queryX, batch.queryY]);
trainer.dispose();
model.dispose();
