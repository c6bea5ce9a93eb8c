// Fast conv2d backward kernels for the tfjs wasm backend.
// Importing the wasm backend first guarantees its built-in kernels are
// registered before we look them up and replace them.
import '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  Concat,
  Identity,
  SplitV,
  Slice,
  MaxPoolGrad,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInputConfig, OURS } from './conv2d-backprop-input.js';
import { makeBatchMatMulConfig, OURS_MATMUL } from './batch-matmul.js';
import { makeSplitVConfig, OURS_SPLITV } from './split-v.js';
import { makeSliceConfig, OURS_SLICE } from './slice.js';
import { makeMaxPoolGradConfig, OURS_MAXPOOLGRAD } from './max-pool-grad.js';
import { fusedDenseConfig } from './fused-dense.js';
import { fusedAdamConfig } from './fused-adam.js';
import { makeConcatConfig, OURS_CONCAT } from './concat.js';
import { makeIdentityConfig, OURS_IDENTITY } from './identity.js';

export { conv2DBackpropFilterConfig };

/**
 * The Conv2DBackpropInput config registered by registerWasmKernels(), or
 * undefined before the first call. Built lazily: it wraps the kernel it replaces.
 */
export let conv2DBackpropInputConfig: KernelConfig | undefined;

/**
 * Replaces tfjs's wasm kernel `name` by ours built around it, once: ours carries `marker` (a
 * global symbol, so a second copy of this module recognises it too and the original is kept).
 */
function wrapKernel(name: string, marker: symbol, make: (original: KernelConfig) => KernelConfig): void {
  const original = getKernel(name, 'wasm');
  if (!original || marker in original.kernelFunc) return;
  unregisterKernel(name, 'wasm');
  registerKernel(make(original));
}

/**
 * Registers Conv2DBackpropFilter (missing in tfjs-backend-wasm 4.22.0), core's FusedDense and FusedAdam, and
 * faster versions of several tfjs kernels for the 'wasm' backend. Idempotent; works before or
 * after tf.setBackend('wasm'), since the registry is keyed by backend name.
 */
export function registerWasmKernels(): void {
  if (getKernel(fusedDenseConfig.kernelName, 'wasm') === undefined) registerKernel(fusedDenseConfig);
  if (getKernel(fusedAdamConfig.kernelName, 'wasm') === undefined) registerKernel(fusedAdamConfig);
  wrapKernel(BatchMatMul, OURS_MATMUL, makeBatchMatMulConfig);
  wrapKernel(MaxPoolGrad, OURS_MAXPOOLGRAD, makeMaxPoolGradConfig);
  wrapKernel(Identity, OURS_IDENTITY, makeIdentityConfig);
  wrapKernel(Concat, OURS_CONCAT, makeConcatConfig);
  wrapKernel(SplitV, OURS_SPLITV, makeSplitVConfig);
  wrapKernel(Slice, OURS_SLICE, makeSliceConfig);
  const filter = getKernel(Conv2DBackpropFilter, 'wasm');
  if (filter?.kernelFunc !== conv2DBackpropFilterConfig.kernelFunc) {
    if (filter) unregisterKernel(Conv2DBackpropFilter, 'wasm');
    registerKernel(conv2DBackpropFilterConfig);
  }
  const input = getKernel(Conv2DBackpropInput, 'wasm');
  // Another copy of this module may have registered already: the marker is a
  // global symbol, so that is recognised too and the original is not lost.
  if (input && OURS in input.kernelFunc) {
    conv2DBackpropInputConfig ??= input;
    return;
  }
  conv2DBackpropInputConfig = makeConv2DBackpropInputConfig(input);
  if (input) unregisterKernel(Conv2DBackpropInput, 'wasm');
  registerKernel(conv2DBackpropInputConfig);
}
