// Concat for the wasm backend that interleaves narrow inputs with a plain loop.
//
// tfjs-backend-wasm 4.22 copies each input's part of each row with one subarray + set call.
// Concatenating a set encoder's inputs x and y ([1000, 5, 1] each) makes 10,000 such calls of one
// float: 0.9 ms (loaded machine), where a loop over the 10,000 floats takes a few microseconds.
import {
  backend_util,
  Concat,
  type ConcatAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from './wasm-heap.js';

export const OURS_CONCAT = Symbol.for('@hypermeta/backend-wasm:concat');

/** Parts at least this wide keep tfjs's row copies (a call per part pays for itself). */
const NARROW = 16;

export function makeConcatConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args: { inputs: TensorInfo[]; backend: WasmBackendLike; attrs: ConcatAttrs }) => {
    const { inputs, backend, attrs } = args;
    const parts = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
    // 4-byte element types of one dtype only: the loop below moves 32-bit words.
    const plain =
      parts.length > 1 &&
      parts.every((t) => t.dtype === parts[0].dtype && (t.dtype === 'float32' || t.dtype === 'int32'));
    if (!plain) return original.kernelFunc(args as never);
    const axis = util.parseAxisParam(attrs.axis, parts[0].shape)[0];
    backend_util.assertParamsConsistent(
      parts.map((t) => t.shape),
      axis,
    );
    const widths = parts.map((t) => util.sizeFromShape(t.shape.slice(axis)));
    if (widths.some((w) => w >= NARROW)) return original.kernelFunc(args as never);
    const out = backend.makeOutput(
      backend_util.computeOutShape(
        parts.map((t) => t.shape),
        axis,
      ),
      parts[0].dtype as 'float32',
    );
    // Offsets after the allocation: it may have grown (and so replaced) the heap buffer.
    const words = new Int32Array(backend.wasm.HEAPF32.buffer);
    const rows = util.sizeFromShape(parts[0].shape.slice(0, axis));
    const rowLen = widths.reduce((a, w) => a + w, 0);
    let o0 = heapIndex(backend, out);
    parts.forEach((t, j) => {
      const w = widths[j];
      let s = heapIndex(backend, t);
      for (let r = 0, o = o0; r < rows; r++, o += rowLen)
        for (let i = 0; i < w; i++) words[o + i] = words[s++];
      o0 += w;
    });
    return out;
  }) as unknown as KernelFunc;
  Object.defineProperty(kernelFunc, OURS_CONCAT, { value: original });
  return { ...original, kernelName: Concat, backendName: 'wasm', kernelFunc };
}
