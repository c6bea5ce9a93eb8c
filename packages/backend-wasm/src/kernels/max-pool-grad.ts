// MaxPoolGrad for the wasm backend, 2×2 windows with stride 2 and no padding (the conv4 pool).
//
// The built-in kernel took ~65 ms of a ~290 ms conv4 forward+backward on 100 images; this is a
// direct pass over the heap: each output cell routes its gradient to the first maximum of its
// window (row-major), as the cpu backend does, so ties after ReLU resolve identically.
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from './wasm-heap.js';
import { heapModule, type HeapOwner } from './heap-module.js';
import { maxPoolGradWasmBase64 } from './max-pool-grad-wasm.js';

// The same pass 4 channels at a time (max-pool-grad.wat), bit for bit: 23.6 → 3.7 ms on conv4's first layer.
const simd = heapModule<{
  maxPoolGrad2x2(x: number, dy: number, dx: number, B: number, H: number, W: number, C: number): void;
}>(maxPoolGradWasmBase64);

export const OURS_MAXPOOLGRAD = Symbol.for('@hypermeta/backend-wasm:maxPoolGrad');

type Args = {
  inputs: { dy: TensorInfo; input: TensorInfo };
  backend: WasmBackendLike & HeapOwner;
  attrs: MaxPoolGradAttrs;
};

function isPlain2x2(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1
  );
}

export function makeMaxPoolGradConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args: Args) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (!isPlain2x2(info) || input.dtype !== 'float32') return original.kernelFunc(args as never);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const dx = backend.makeOutput(input.shape as number[], 'float32');
    const heap = backend.wasm.HEAPF32; // read after makeOutput: the heap may have grown
    const xo = heapIndex(backend, input);
    const go = heapIndex(backend, dy);
    const dxo = heapIndex(backend, dx);
    const module = C % 4 === 0 ? simd.on(backend) : undefined;
    if (module) {
      // it writes every cell of a window; an odd last row or column is in none
      if (H % 2 || W % 2) heap.fill(0, dxo, dxo + B * H * W * C);
      module.maxPoolGrad2x2(4 * xo, 4 * go, 4 * dxo, B, H, W, C);
      return dx;
    }
    heap.fill(0, dxo, dxo + B * H * W * C);
    const rowStride = W * C;
    for (let b = 0; b < B; b++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const base = ((b * H + 2 * oh) * W + 2 * ow) * C;
          const g = go + ((b * OH + oh) * OW + ow) * C;
          for (let c = 0; c < C; c++) {
            const p0 = base + c;
            let best = p0;
            let v = heap[xo + p0];
            const p1 = p0 + C,
              p2 = p0 + rowStride,
              p3 = p2 + C;
            if (heap[xo + p1] > v) {
              v = heap[xo + p1];
              best = p1;
            }
            if (heap[xo + p2] > v) {
              v = heap[xo + p2];
              best = p2;
            }
            if (heap[xo + p3] > v) best = p3;
            heap[dxo + best] += heap[g + c];
          }
        }
      }
    }
    return dx;
  }) as unknown as KernelFunc;
  Object.defineProperty(kernelFunc, OURS_MAXPOOLGRAD, { value: original });
  return { ...original, kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc };
}
