// Batched products of small matrices ([T, N, K] · [T, K, M], T > 1) in one call of
// batch-gemm.wat, for the sizes where it gives the bits the stock paths give.
//
// A task network's layers are such products ([16, 20, 40] · [16, 40, 40] at T = 16). One XNNPACK
// product per matrix (per-matrix-matmul.ts) pays ≈ 10 µs of set-up per matrix; this pass has
// none: 0.22 → 0.07 ms for that product, 0.15 → 0.05 ms for its weight gradient (xᵀ·dy, read
// transposed in place), medians of 101 with fresh outputs.
import type { BatchMatMulAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { batchGemmWasmBase64 } from './batch-gemm-wasm.js';
import { heapModule, type HeapOwner } from './heap-module.js';
import { matrixBatch, PER_MATRIX_MIN_MACS, type WasmBackendInternals } from './per-matrix-matmul.js';

const simd = heapModule<{
  batchGemm(
    a: number,
    b: number,
    c: number,
    T: number,
    N: number,
    K: number,
    M: number,
    nStep: number,
    kStep: number,
  ): void;
}>(batchGemmWasmBase64);

/** From this many multiply-adds per matrix XNNPACK's packed product is as fast (≈ [64, 20] · [20, 64]). */
const MAX_MACS = 65_536;
/**
 * tfjs's own loop (the stock path below PER_MATRIX_MIN_MACS) sums k in blocks of 48 and adds the
 * blocks' sums; with one block that is this pass's k order. XNNPACK's (above) is k order always.
 */
const TFJS_LOOP_BLOCK = 48;

/**
 * The product through batch-gemm.wat, or undefined where it does not apply: not two 3-D float32
 * operands with the same batch T > 1, M not a multiple of 4, a size whose stock path sums in
 * another order, or no SIMD module on this heap. `transposeB` transposes B's matrices (a new
 * tensor the caller's function returns; it is disposed here).
 */
export function smallBatchGemm(
  a: TensorInfo,
  b: TensorInfo,
  attrs: BatchMatMulAttrs,
  backend: WasmBackendInternals & HeapOwner,
  transposeB: (t: TensorInfo) => TensorInfo,
): TensorInfo | undefined {
  const d = matrixBatch(a, b, attrs);
  if (!d || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const { T, N, K, M } = d;
  if (M % 4 !== 0 || N * K * M === 0) return undefined;
  const macs = N * K * M;
  if (macs >= PER_MATRIX_MIN_MACS ? macs >= MAX_MACS : K > TFJS_LOOP_BLOCK) return undefined;
  const module = simd.on(backend);
  if (!module) return undefined;
  const b2 = attrs.transposeB ? transposeB(b) : b;
  try {
    const out = backend.makeOutput([T, N, M], 'float32');
    const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
    // element (n, k) of A's matrix: row-major [N, K], or [K, N] read transposed
    const [nStep, kStep] = attrs.transposeA ? [4, 4 * N] : [4 * K, 4];
    module.batchGemm(at(a), at(b2), at(out), T, N, K, M, nStep, kStep);
    return out;
  } finally {
    if (attrs.transposeB) backend.disposeData(b2.dataId);
  }
}
