// BatchMatMul for the wasm backend that never hands XNNPACK a transposed tall operand.
//
// tfjs-backend-wasm 4.22 runs transposeA (and transposeB on large B) far slower than an
// explicit Transpose followed by a plain product. Measured here: dW = hᵀ·dy for h [32,128],
// dy [32,1761]: 7.7 ms with transposeA, 1.1 ms transposing first; d·Wᵀ for W [128,1761]:
// 6.4 ms with transposeB, 2.9 ms transposing first. Every matMul gradient uses these flags.
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { wasmKernel, type WasmBackendLike } from './wasm-heap.js';
import {
  matrixBatch,
  PER_MATRIX_MIN_MACS,
  perMatrixMatMul,
  type WasmBackendInternals,
} from './per-matrix-matmul.js';
import { smallBatchGemm } from './small-batch-gemm.js';
import type { HeapOwner } from './heap-module.js';

/** Below this many elements in B's matrices, transposeB is as fast as transposing first. */
const SMALL_B = 64 * 64;

export const OURS_MATMUL = Symbol.for('@hypermeta/backend-wasm:batchMatMul');

function swapLastTwo(t: TensorInfo, backend: WasmBackendLike, transpose: KernelFunc): TensorInfo {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transpose({ inputs: { x: t }, backend: backend as never, attrs: { perm } }) as TensorInfo;
}

/**
 * A·Bᵀ for a big B [N, K] and a short A [M, K], M < N (the input gradient of a dense layer,
 * dy·Wᵀ): computed as (B·Aᵀ)ᵀ. XNNPACK then packs Aᵀ (K×M) instead of a transposed copy of B
 * (K×N), and B itself is never copied. Measured here (best of 50, loaded machine) for
 * dy [64,1761] · W[128,1761]ᵀ: 2.0 ms transposing W first, 1.4 ms this way.
 */
function viaTransposedProduct(
  a: TensorInfo,
  b: TensorInfo,
  args: { backend: WasmBackendLike; attrs: BatchMatMulAttrs },
  original: KernelConfig,
  transpose: KernelFunc,
): TensorInfo {
  const { backend, attrs } = args;
  const at = swapLastTwo(a, backend, transpose);
  try {
    const ct = original.kernelFunc({
      ...args,
      inputs: { a: b, b: at },
      attrs: { ...attrs, transposeA: false, transposeB: false },
    } as never) as TensorInfo;
    try {
      return swapLastTwo(ct, backend, transpose);
    } finally {
      backend.disposeData(ct.dataId);
    }
  } finally {
    backend.disposeData(at.dataId);
  }
}

/** Same batch of T > 1 matrices on both sides, big enough that one XNNPACK call per matrix pays. */
function perMatrix(a: TensorInfo, b: TensorInfo, attrs: BatchMatMulAttrs): boolean {
  const d = matrixBatch(a, b, attrs);
  return d !== undefined && d.N * d.K * d.M >= PER_MATRIX_MIN_MACS;
}

/** Transposes where asked (the per-matrix products take plain operands), then one product per matrix. */
function viaPerMatrixProducts(
  a: TensorInfo,
  b: TensorInfo,
  backend: WasmBackendLike,
  attrs: BatchMatMulAttrs,
  transpose: KernelFunc,
): TensorInfo {
  const a2 = attrs.transposeA ? swapLastTwo(a, backend, transpose) : a;
  const b2 = attrs.transposeB ? swapLastTwo(b, backend, transpose) : b;
  try {
    return perMatrixMatMul(a2, b2, backend as WasmBackendInternals);
  } finally {
    if (attrs.transposeA) backend.disposeData(a2.dataId);
    if (attrs.transposeB) backend.disposeData(b2.dataId);
  }
}

export function makeBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const transpose = wasmKernel('Transpose');
  const kernelFunc = ((args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    backend: WasmBackendLike;
    attrs: BatchMatMulAttrs;
  }) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    const bInner = b.shape[b.shape.length - 1] * b.shape[b.shape.length - 2];
    const rows = a.shape[a.shape.length - (attrs.transposeA ? 1 : 2)];
    const bRows = b.shape[b.shape.length - 2];
    const small = smallBatchGemm(a, b, attrs, backend as unknown as WasmBackendInternals & HeapOwner, (t) =>
      swapLastTwo(t, backend, transpose),
    );
    if (small) return small;
    if (perMatrix(a, b, attrs)) return viaPerMatrixProducts(a, b, backend, attrs, transpose);
    if (
      !attrs.transposeA &&
      attrs.transposeB &&
      bInner >= SMALL_B &&
      rows < bRows &&
      a.shape.length === 2 &&
      b.shape.length === 2
    ) {
      return viaTransposedProduct(a, b, args, original, transpose);
    }
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
