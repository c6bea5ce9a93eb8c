// Conv2DBackpropInput for the wasm backend, as one forward Conv2D (XNNPACK).
//
// The built-in kernel runs at ~2.4 GFLOP/s; forward Conv2D at ~27. With
//   dyPad[b, h*s + KH-1-PT, w*s + KW-1-PL, :] = dy[b, h, w, :]  (zeros elsewhere,
//   size [B, H+KH-1, W+KW-1, CO]) and
//   wFlip[KH-1-kh, KW-1-kw, co, ci] = W[kh, kw, ci, co],
// dx = conv2d(dyPad, wFlip, stride 1, 'valid'). For stride s > 1 dyPad is
// zero-stuffed, which costs s*s times the useful FLOPs: worth it up to
// SH*SW <= 4; beyond that (and for NCHW) the built-in kernel is used.
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertShape, heapIndex, wasmKernel, type WasmBackendLike } from './wasm-heap.js';

// Above this stride area the zero-stuffed conv stops beating the built-in.
const MAX_STRIDE_AREA = 4;

type Args = {
  inputs: Conv2DBackpropInputInputs;
  backend: WasmBackendLike;
  attrs: Conv2DBackpropInputAttrs;
};

/** Marks kernel functions made here, so re-registration can recognise them. */
export const OURS = Symbol.for('@hypermeta/backend-wasm:conv2DBackpropInput');

function viaForwardConv(args: Args): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    inChannels: CI,
    outHeight: OH,
    outWidth: OW,
    outChannels: CO,
    filterHeight: KH,
    filterWidth: KW,
    strideHeight: SH,
    strideWidth: SW,
  } = info;
  assertShape(dy, info.outShape, 'dy');
  assertShape(filter, [KH, KW, CI, CO], 'filter');
  const HP = H + KH - 1;
  const WP = W + KW - 1;
  const dyPad = backend.makeOutput([B, HP, WP, CO], 'float32');
  const wFlip = backend.makeOutput([KH, KW, CO, CI], 'float32');
  const heap = backend.wasm.HEAPF32; // after the allocations (heap may grow)

  // Scatter dy into the zero-filled, padded (and for s > 1 zero-stuffed) map.
  // Entries landing outside it only touch dx outside the image: dropped.
  const pOff = heapIndex(backend, dyPad);
  const dyOff = heapIndex(backend, dy);
  heap.fill(0, pOff, pOff + B * HP * WP * CO);
  const u0 = KH - 1 - info.padInfo.top;
  const v0 = KW - 1 - info.padInfo.left;
  const wlo = Math.min(OW, Math.max(0, Math.ceil(-v0 / SW)));
  const whi = Math.max(wlo, Math.min(OW, Math.floor((WP - 1 - v0) / SW) + 1));
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < OH; h++) {
      const u = h * SH + u0;
      if (u < 0 || u >= HP) continue;
      const src = dyOff + (b * OH + h) * OW * CO;
      const dst = pOff + ((b * HP + u) * WP + v0) * CO;
      if (SW === 1) {
        heap.copyWithin(dst + wlo * CO, src + wlo * CO, src + whi * CO);
      } else {
        for (let w = wlo; w < whi; w++) {
          heap.copyWithin(dst + w * SW * CO, src + w * CO, src + (w + 1) * CO);
        }
      }
    }
  }

  // Flip the filter in space and swap its in/out channels.
  const fOff = heapIndex(backend, filter);
  const gOff = heapIndex(backend, wFlip);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const src = fOff + (kh * KW + kw) * CI * CO;
      const dst = gOff + ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CO * CI;
      for (let ci = 0; ci < CI; ci++) {
        for (let co = 0; co < CO; co++) heap[dst + co * CI + ci] = heap[src + ci * CO + co];
      }
    }
  }

  try {
    return wasmKernel('Conv2D')({
      inputs: { x: dyPad, filter: wFlip },
      backend,
      attrs: { strides: 1, pad: 'valid', dilations: 1, dataFormat: 'NHWC' },
    } as never) as TensorInfo;
  } finally {
    backend.disposeData(dyPad.dataId);
    backend.disposeData(wFlip.dataId);
  }
}

/**
 * Builds the replacement config. `original` is the built-in kernel: it is the
 * fallback, and its setup/dispose hooks are kept so they still run when the
 * wasm backend initialises after this registration.
 */
export function makeConv2DBackpropInputConfig(original: KernelConfig | undefined): KernelConfig {
  const fallback = original?.kernelFunc;
  const kernelFunc = ((args: Args) => {
    const { attrs, inputs } = args;
    const [sh, sw] = typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : attrs.strides;
    const fast =
      attrs.dataFormat !== 'NCHW' &&
      sh * sw <= MAX_STRIDE_AREA &&
      inputs.dy?.dtype === 'float32' &&
      inputs.filter?.dtype === 'float32';
    if (fast) return viaForwardConv(args);
    if (fallback == null) {
      throw new Error(
        'wasm Conv2DBackpropInput: only float32 NHWC with stride area <= ' +
          `${MAX_STRIDE_AREA} is supported without the built-in kernel`,
      );
    }
    return fallback(args as never);
  }) as unknown as KernelFunc;
  Object.defineProperty(kernelFunc, OURS, { value: original ?? null });
  return {
    kernelName: Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc,
    setupFunc: original?.setupFunc,
    disposeFunc: original?.disposeFunc,
  };
}
