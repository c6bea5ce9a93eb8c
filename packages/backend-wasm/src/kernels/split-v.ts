// SplitV for the wasm backend that copies straight from the input on the wasm heap.
//
// tfjs-backend-wasm 4.22 splits by calling its JS Slice once per part, and each Slice first
// copies the whole input out of the heap (readSync) before taking its rows. Splitting a
// generator's [1000, 1761] output into six parameter tensors took 346 ms that way (measured
// here on a loaded machine); row-wise copyWithin on the heap takes well under a millisecond.
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  SplitV,
  type SplitVAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from './wasm-heap.js';

export const OURS_SPLITV = Symbol.for('@hypermeta/backend-wasm:splitV');

export function makeSplitVConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args: { inputs: { x: TensorInfo }; backend: WasmBackendLike; attrs: SplitVAttrs }) => {
    const {
      inputs: { x },
      backend,
      attrs,
    } = args;
    // 4-byte element types only: the copy below moves 32-bit words.
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original.kernelFunc(args as never);
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
    const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis) as number[];
    const outer = util.sizeFromShape(x.shape.slice(0, axis));
    const inner = util.sizeFromShape(x.shape.slice(axis + 1));
    const rowLen = x.shape[axis] * inner;
    // Allocate every output first: an allocation may grow (and so replace) the heap buffer.
    const outs = sizes.map((s) =>
      backend.makeOutput(
        x.shape.map((d, i) => (i === axis ? s : d)),
        x.dtype as 'float32',
      ),
    );
    const words = new Int32Array(backend.wasm.HEAPF32.buffer);
    const from = heapIndex(backend, x);
    let start = 0;
    outs.forEach((out, j) => {
      const width = sizes[j] * inner;
      const to = heapIndex(backend, out);
      if (outer === 1 || width === rowLen) words.copyWithin(to, from + start, from + start + outer * width);
      else
        for (let r = 0; r < outer; r++)
          words.copyWithin(to + r * width, from + r * rowLen + start, from + r * rowLen + start + width);
      start += width;
    });
    return outs;
  }) as unknown as KernelFunc;
  Object.defineProperty(kernelFunc, OURS_SPLITV, { value: original });
  return { ...original, kernelName: SplitV, backendName: 'wasm', kernelFunc };
}
