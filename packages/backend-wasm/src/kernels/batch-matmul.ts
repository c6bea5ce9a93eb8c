// BatchMatMul for the wasm backend that never hands XNNPACK a transposed tall operand.
//
// tfjs-backend-wasm 4.22 runs transposeA (and transposeB on large B) far slower than an
// explicit Transpose followed by a plain product. Measured here: dW = hᵀ·dy for h [32,128],
// dy [32,1761]: 7.7 ms with transposeA, 1.1 ms transposing first; d·Wᵀ for W [128,1761]:
// 6.4 ms with transposeB, 2.9 ms transposing first. Every matMul gradient uses these flags.
import { BatchMatMul, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { wasmKernel, type WasmBackendLike } from './conv2d-backprop-filter.js';

/** Below this many elements in B's matrices, transposeB is as fast as transposing first. */
const SMALL_B = 64 * 64;

export const OURS_MATMUL = Symbol.for('@hypermeta/backend-wasm:batchMatMul');

function swapLastTwo(t: TensorInfo, backend: WasmBackendLike, transpose: KernelFunc): TensorInfo {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transpose({ inputs: { x: t }, backend: backend as never, attrs: { perm } }) as TensorInfo;
}

export function makeBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const transpose = wasmKernel('Transpose');
  const kernelFunc = ((args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmBackendLike; attrs: BatchMatMulAttrs }) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    const bInner = b.shape[b.shape.length - 1] * b.shape[b.shape.length - 2];
    const flipA = attrs.transposeA;
    const flipB = attrs.transposeB && bInner >= SMALL_B;
    if (!flipA && !flipB) return original.kernelFunc(args as never);
    const a2 = flipA ? swapLastTwo(a, backend, transpose) : a;
    const b2 = flipB ? swapLastTwo(b, backend, transpose) : b;
    try {
      return original.kernelFunc({
        ...args,
        inputs: { a: a2, b: b2 },
        attrs: { ...attrs, transposeA: false, transposeB: attrs.transposeB && !flipB },
      } as never);
    } finally {
      if (flipA) backend.disposeData(a2.dataId);
      if (flipB) backend.disposeData(b2.dataId);
    }
  }) as unknown as KernelFunc;
  Object.defineProperty(kernelFunc, OURS_MATMUL, { value: original });
  return { ...original, kernelName: BatchMatMul, backendName: 'wasm', kernelFunc };
}
