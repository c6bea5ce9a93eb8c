// @hypermeta/core's FusedDense for the wasm backend: act(x · w + b) as one XNNPACK product.
//
// tfjs's own _FusedMatMul kernel needs 3-D operands and a bias whose data was created 1-D, so
// tf.fused.matMul wraps it in reshapes that cost more dispatches than they save. This kernel
// calls the same compiled function with the shapes it needs ([1, rows, in] · [1, in, out]),
// so 2-D inputs, one task's [1, in, out] weights and [1, out] biases need no reshape.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { assertShape } from './wasm-heap.js';
import { shapeBytes, wasmFunction, type WasmModule } from './wasm-functions.js';

/** Must equal @hypermeta/core's FusedDense (a string, so this package needs no core import). */
export const FUSED_DENSE = 'HypermetaFusedDense';

/** tfjs-backend-wasm's FusableActivation codes. */
const ACTIVATION: Record<string, number> = { linear: 0, relu: 1 };

interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(id: object): { id: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

function fusedDense(args: {
  inputs: { x: TensorInfo; w: TensorInfo; b: TensorInfo };
  backend: WasmBackend;
  attrs: { activation: string };
}): TensorInfo {
  const {
    inputs: { x, w, b },
    backend,
    attrs,
  } = args;
  const act = ACTIVATION[attrs.activation];
  if (act === undefined) throw new Error(`FusedDense: unsupported activation '${attrs.activation}'`);
  for (const t of [x, w, b]) if (t.dtype !== 'float32') throw new Error('FusedDense needs float32 inputs');
  const inSize = x.shape[x.shape.length - 1];
  const out = w.shape[w.shape.length - 1];
  // The product reads the heap by these sizes: shapes must agree exactly.
  assertShape(w, w.shape.length === 3 ? [1, inSize, out] : [inSize, out], 'FusedDense w');
  assertShape(b, b.shape.length === 2 ? [1, out] : [out], 'FusedDense b');
  const rows = x.shape.slice(0, -1).reduce((a, d) => a * d, 1);
  const y = backend.makeOutput([...x.shape.slice(0, -1), out], 'float32');
  if (rows === 0 || out === 0) return y;
  const id = (t: TensorInfo) => backend.dataIdMap.get(t.dataId).id;
  wasmFunction(backend.wasm, '_FusedMatMul')(
    id(x),
    shapeBytes([1, rows, inSize]),
    3,
    id(w),
    shapeBytes([1, inSize, out]),
    3,
    0,
    0,
    act,
    id(b),
    0,
    0,
    id(y),
  );
  return y;
}

export const fusedDenseConfig: KernelConfig = {
  kernelName: FUSED_DENSE,
  backendName: 'wasm',
  kernelFunc: fusedDense as unknown as KernelFunc,
};
