// What every hand-written wasm kernel here needs of tfjs-backend-wasm: its heap, other kernels,
// and a shape check before indexing the heap directly.
import { getKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm that these kernels use. */
export interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object): boolean;
  getMemoryOffset(dataId: object): number;
}

/** Another registered wasm kernel, called directly with the same backend. */
export function wasmKernel(name: string): KernelFunc {
  const k = getKernel(name, 'wasm');
  if (k == null) throw new Error(`wasm kernel '${name}' is not registered`);
  return k.kernelFunc;
}

/** Float offset of a tensor's data in HEAPF32. */
export function heapIndex(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.getMemoryOffset(t.dataId) / 4;
}

/** The kernels index the heap directly: a wrong shape must not reach them. */
export function assertShape(t: TensorInfo, expected: number[], name: string): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${name} has shape [${t.shape}], expected [${expected}]`);
  }
}
