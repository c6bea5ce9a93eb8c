// Batched products of many small matrices ([T, N, K] · [T, K, M], T > 1) as T plain XNNPACK
// products on views of the operands, without copying them.
//
// tfjs-backend-wasm 4.22 sends any product with a batch of more than one matrix down a plain
// loop (≈ 2 GFLOP/s here); with one matrix it uses XNNPACK. A task network's batched layers
// ([T, 20, 40] · [T, 40, 40]) are such products. Measured with fresh operands, median of 41:
// T = 16: 0.52 → 0.17 ms; T = 64: 1.87 → 0.60 ms, the same values bit for bit.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-heap.js';
import { shapeBytes, wasmFunction, type WasmModule } from './wasm-functions.js';

/** Below this many multiply-adds per matrix the plain loop beats a call per matrix (≈ 10 µs). */
export const PER_MATRIX_MIN_MACS = 16_384;

export interface WasmBackendInternals extends WasmBackendLike {
  wasm: WasmBackendLike['wasm'] &
    WasmModule & {
      tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
    };
  dataIdNextNumber: number;
}

/**
 * The sizes of a product of two batches of T > 1 matrices, [T, N, K] · [T, K, M] (after the
 * transposes `attrs` asks for), or undefined if the operands are not such batches.
 */
export function matrixBatch(
  a: TensorInfo,
  b: TensorInfo,
  attrs: { transposeA: boolean; transposeB: boolean },
): { T: number; N: number; K: number; M: number } | undefined {
  if (a.shape.length !== 3 || b.shape.length !== 3 || a.shape[0] !== b.shape[0] || a.shape[0] < 2)
    return undefined;
  const K = attrs.transposeA ? a.shape[1] : a.shape[2];
  if ((attrs.transposeB ? b.shape[2] : b.shape[1]) !== K) return undefined;
  return {
    T: a.shape[0],
    N: attrs.transposeA ? a.shape[2] : a.shape[1],
    K,
    M: attrs.transposeB ? b.shape[1] : b.shape[2],
  };
}

/**
 * a [T, N, K] · b [T, K, M] → [T, N, M], no transposes (the caller transposes first), one
 * XNNPACK product per matrix. Each matrix is registered with the wasm module under a fresh id
 * that points into its operand's buffer, and unregistered after (the memory stays the operand's).
 */
export function perMatrixMatMul(a: TensorInfo, b: TensorInfo, backend: WasmBackendInternals): TensorInfo {
  const [T, N, K] = a.shape;
  const M = b.shape[2];
  if (b.shape.length !== 3 || a.shape.length !== 3 || b.shape[0] !== T || b.shape[1] !== K) {
    throw new Error(`perMatrixMatMul: shapes [${a.shape}] and [${b.shape}] do not multiply matrix by matrix`);
  }
  const out = backend.makeOutput([T, N, M], 'float32');
  const mm = wasmFunction(backend.wasm, 'BatchMatMul');
  const { registerTensor, disposeData } = backend.wasm.tfjs;
  const offsets = [a, b, out].map((t) => backend.getMemoryOffset(t.dataId));
  const sizes = [N * K, K * M, N * M];
  const aShape = shapeBytes([1, N, K]);
  const bShape = shapeBytes([1, K, M]);
  for (let t = 0; t < T; t++) {
    const ids = sizes.map((size, i) => {
      const id = backend.dataIdNextNumber++;
      registerTensor(id, size, offsets[i] + 4 * t * size);
      return id;
    });
    try {
      mm(ids[0], aShape, 3, ids[1], bShape, 3, 0, 0, ids[2]);
    } finally {
      // Unregisters the views (and any XNNPACK operator cached for them); frees nothing.
      ids.forEach((id) => disposeData(id));
    }
  }
  return out;
}
