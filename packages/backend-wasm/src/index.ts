import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { registerBackendLoader } from '@hypermeta/core/backend';
import { registerWasmKernels } from './kernels/index.js';

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

// tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter and has a slow Conv2DBackpropInput.
registerWasmKernels();

registerBackendLoader({
  name: 'wasm',
  tfName: 'wasm',
  priority: 2,
  async setUp() {
    if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available in this JavaScript engine');
    // Initialise now so a missing or unloadable .wasm file is reported here, with its reason.
    const previous = tf.engine().backendName;
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly module failed to initialise (are the .wasm files served? see setWasmPaths)');
    if (previous && previous !== 'wasm') await tf.setBackend(previous);
  },
});
