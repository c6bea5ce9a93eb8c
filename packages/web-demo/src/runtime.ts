import { useBackend, loadCheckpoint, tf, type FileReader, type SavedModel } from '@hypermeta/core';
import { setWasmPaths, wasmHasSimd } from '@hypermeta/backend-wasm';

/** What the page exposes to its end-to-end test (and to curious users in the console). */
export interface DemoState {
  backend?: string;
  simd?: boolean;
  error?: string;
  sinusoid?: unknown;
  fewshot?: unknown;
  language?: unknown;
}

declare global {
  interface Window {
    __hypermeta: DemoState;
  }
}

export const state: DemoState = (window.__hypermeta = {});

/** Starts the wasm backend with its binaries served beside the page (copied there by vite.config.ts). */
export async function startWasm(): Promise<{ backend: string; simd: boolean }> {
  setWasmPaths(new URL('wasm/', document.baseURI).href);
  tf.env().set('PROD', true);
  const backend = await useBackend('wasm');
  const simd = await wasmHasSimd();
  Object.assign(state, { backend, simd });
  return { backend, simd };
}

/** A checkpoint FileReader over HTTP: core's loader verifies every file's length and SHA-256. */
export function fetchReader(baseUrl: string): FileReader {
  return async (name) => {
    const r = await fetch(new URL(name, baseUrl));
    if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
}

/** Loads a checkpoint for inference (optimizer moments are dropped). */
export async function loadModel(folder: string): Promise<SavedModel> {
  // optimizer: false skips optimizer.bin, two thirds of the download.
  const { model } = await loadCheckpoint(fetchReader(new URL(folder, document.baseURI).href), {
    optimizer: false,
  });
  return model;
}
