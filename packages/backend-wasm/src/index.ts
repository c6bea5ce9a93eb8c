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

/**
 * Runs `f` and removes the process-wide handlers Emscripten's start-up installs in Node: they
 * rethrow every uncaught exception of the user's program from inside tfjs-backend-wasm (and exit
 * with code 7) and turn an unhandled rejection into a wasm abort. Our kernels never call
 * Emscripten's exit(), which is all those handlers are for.
 */
async function withoutProcessHandlers<T>(f: () => Promise<T>): Promise<T> {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.listeners !== 'function') return f();
  const events = ['uncaughtException', 'unhandledRejection'];
  const listeners = (e: string) => proc.listeners(e as 'uncaughtException') as ((...a: unknown[]) => void)[];
  const before = events.map((e) => new Set(listeners(e)));
  try {
    return await f();
  } finally {
    events.forEach((e, i) => {
      for (const l of listeners(e)) if (!before[i].has(l)) proc.off(e, l);
    });
  }
}

// tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter and has a slow Conv2DBackpropInput.
registerWasmKernels();

registerBackendLoader({
  name: 'wasm',
  tfName: 'wasm',
  priority: 2,
  async setUp() {
    if (typeof WebAssembly !== 'object')
      throw new Error('WebAssembly is not available in this JavaScript engine');
    // Initialise now so a missing or unloadable .wasm file is reported here, with its reason.
    const previous = tf.engine().backendName;
    const ok = await withoutProcessHandlers(() => tf.setBackend('wasm'));
    if (!ok)
      throw new Error(
        'the WebAssembly module failed to initialise (are the .wasm files served? see setWasmPaths)',
      );
    if (previous && previous !== 'wasm') await tf.setBackend(previous);
  },
});
