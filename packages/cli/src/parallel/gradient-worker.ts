// Worker thread of the gradient pool: holds its own copy of the model on its own backend and
// computes the gradients of the parts it is sent, at the weights sent with them.
import { parentPort, workerData } from 'node:worker_threads';
import { familyOf, type ModelConfigBase, type PartGradient } from '@hypermeta/core';
import { selectBackend } from '../backend-select.js';

export interface WorkerInit {
  backend: string;
  /** The model's config: the family it names builds the copy (weights arrive with each request). */
  model: ModelConfigBase;
}

export interface WorkRequest {
  weights: Float32Array;
  parts: unknown[];
}

export type WorkReply = { ok: true; results: PartGradient[] } | { ok: false; error: string };

const port = parentPort!;
const init = workerData as WorkerInit;

async function start() {
  await selectBackend(init.backend);
  const family = familyOf(init.model);
  if (!family.partGradient) throw new Error(`the ${family.name} family computes no part gradients`);
  const model = family.build(init.model, 0);
  return { model, partGradient: family.partGradient.bind(family) };
}

const ready = start();
ready.then(
  () => port.postMessage({ ok: true, results: [] } satisfies WorkReply),
  (e: unknown) =>
    port.postMessage({
      ok: false,
      error: `worker could not start: ${(e as Error).message}`,
    } satisfies WorkReply),
);

port.on('message', (req: WorkRequest) => {
  ready
    .then(({ model, partGradient }) => {
      model.store.writeFlat(req.weights);
      // Copies own their buffers, so they can be moved to the main thread rather than cloned.
      const results = req.parts.map((p) => {
        const r = partGradient(model, p);
        return { loss: r.loss, grad: r.grad.slice() };
      });
      port.postMessage(
        { ok: true, results } satisfies WorkReply,
        results.map((r) => r.grad.buffer as ArrayBuffer),
      );
    })
    .catch((e: unknown) => port.postMessage({ ok: false, error: (e as Error).message } satisfies WorkReply));
});
