// Worker thread of the gradient pool: holds its own copy of the model on its own backend and
// computes the gradients of the episodes it is sent, at the weights sent with them.
import { parentPort, workerData } from 'node:worker_threads';
import { type Episode, type FewShotConfig, FewShotModel } from '@hypermeta/core';
import { selectBackend } from '../backend-select.js';

export interface WorkerInit {
  backend: string;
  model: FewShotConfig;
}

export interface WorkRequest {
  weights: Float32Array;
  parts: Episode[];
}

export type WorkReply = { ok: true; results: { loss: number; grad: Float32Array }[] } | { ok: false; error: string };

const port = parentPort!;
const init = workerData as WorkerInit;

async function start(): Promise<FewShotModel> {
  await selectBackend(init.backend);
  return new FewShotModel(init.model, 0);
}

const ready = start();
ready.then(
  () => port.postMessage({ ok: true, results: [] } satisfies WorkReply),
  (e: unknown) => port.postMessage({ ok: false, error: `worker could not start: ${(e as Error).message}` } satisfies WorkReply),
);

port.on('message', (req: WorkRequest) => {
  ready.then((model) => {
    model.store.writeFlat(req.weights);
    // Copies own their buffers, so they can be moved to the main thread rather than cloned.
    const results = req.parts.map((p) => {
      const r = model.episodeGradient(p);
      return { loss: r.loss, grad: r.grad.slice() };
    });
    port.postMessage({ ok: true, results } satisfies WorkReply, results.map((r) => r.grad.buffer as ArrayBuffer));
  }).catch((e: unknown) => port.postMessage({ ok: false, error: (e as Error).message } satisfies WorkReply));
});
