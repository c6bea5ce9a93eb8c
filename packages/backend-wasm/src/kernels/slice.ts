// Slice for the wasm backend that copies straight from the input on the wasm heap.
//
// tfjs-backend-wasm 4.22's Slice first copies the whole input out of the heap (readSync), then
// takes its part. Batch norm's support statistics slice the support images' rows out of each
// conv layer's output ([80, 28, 28, 64] in a training episode): ≈ 13 ms of each Omniglot
// training step went to those copies (a CPU profile of 120 steps). Here a contiguous part is one
// copyWithin, any other part one copy per run of its last dimension.
import {
  type KernelConfig,
  type KernelFunc,
  Slice,
  type SliceAttrs,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from './wasm-heap.js';

export const OURS_SLICE = Symbol.for('@hypermeta/backend-wasm:slice');

// Below this many elements a JS loop copies faster than copyWithin's call.
const SHORT_RUN = 8;

export function makeSliceConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args: { inputs: { x: TensorInfo }; backend: WasmBackendLike; attrs: SliceAttrs }) => {
    const {
      inputs: { x },
      backend,
      attrs,
    } = args;
    // 4-byte element types only: the copies below move 32-bit words.
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original.kernelFunc(args as never);
    const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size);
    const out = backend.makeOutput(size, x.dtype as 'float32');
    const n = util.sizeFromShape(size);
    if (n === 0) return out;
    // after the allocation: it may have grown (and so replaced) the heap buffer
    const words = new Int32Array(backend.wasm.HEAPF32.buffer);
    const from = heapIndex(backend, x);
    const to = heapIndex(backend, out);
    const strides = util.computeStrides(x.shape);
    if (slice_util.isSliceContinous(x.shape, begin, size)) {
      const start = from + slice_util.computeFlatOffset(begin, strides);
      words.copyWithin(to, start, start + n);
      return out;
    }
    // one run per index of the leading dimensions
    const rank = size.length;
    const run = size[rank - 1];
    const index = new Array<number>(rank - 1).fill(0);
    for (let o = to; o < to + n; o += run) {
      let src = from + begin[rank - 1];
      for (let d = 0; d < rank - 1; d++) src += (begin[d] + index[d]) * strides[d];
      if (run >= SHORT_RUN) words.copyWithin(o, src, src + run);
      else for (let k = 0; k < run; k++) words[o + k] = words[src + k];
      for (let d = rank - 2; d >= 0 && ++index[d] === size[d]; d--) index[d] = 0;
    }
    return out;
  }) as unknown as KernelFunc;
  Object.defineProperty(kernelFunc, OURS_SLICE, { value: original });
  return { ...original, kernelName: Slice, backendName: 'wasm', kernelFunc };
}
