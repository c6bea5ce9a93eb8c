import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { registerBackendLoader } from '@hypermeta/core';

/**
 * Where the .wasm binaries are served from, for bundlers and browsers (Node finds them itself).
 * Pass a folder URL ending in '/', or a map of file names to URLs.
 */
export function setWasmPaths(prefixOrFileMap: string | Record<string, string>): void {
  wasm.setWasmPaths(prefixOrFileMap as never);
}

/** Whether the running engine has WebAssembly SIMD (the wasm backend uses it when present). */
export async function wasmHasSimd(): Promise<boolean> {
  return Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
}

registerBackendLoader({
  name: 'wasm',
  tfName: 'wasm',
  priority: 2,
  async setUp() {
    if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available in this JavaScript engine');
  },
});
