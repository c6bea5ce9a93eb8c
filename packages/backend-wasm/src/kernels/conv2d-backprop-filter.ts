// Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22.0 has none).
//
// dW[kh,kw,ci,co] = sum_{b,h,w} xpad[b, h*s+kh*d, w*s+kw*d, ci] * dy[b,h,w,co]
// is computed as A @ dy, where A is the transposed im2col matrix
// [KH*KW*CI, B*OH*OW] (row = tap, channel; column = output pixel). Its row
// order is exactly the filter layout, so the product needs no final transpose.
// A is built chunk by chunk (a few thousand columns each) straight on the wasm
// heap, so memory stays small and each matMul's operands stay cache-sized.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertShape, heapIndex, wasmKernel, type WasmBackendLike } from './wasm-heap.js';

// Columns (output pixels) per matMul. Measured on [120,28,28,64]x3x3x64: one matMul with
// K = 94k is ~1.5x slower than ~4k-wide chunks; with a fresh dy each call (as in training)
// one product over the 14×14 layer's 23,520 pixels is no faster (74 vs 75 ms) and needs 54 MB.
const CHUNK_COLS = 4096;
let chunkColsOverride: number | undefined;

/** Tests only: chunks of `cols` output pixels, and never the few-taps path (undefined: the defaults). */
export function setChunkColumnsForTests(cols: number | undefined): void {
  chunkColsOverride = cols;
}

// Filters with at most this many taps × input channels take fewTapsFilterGrad.
const FEW_TAPS = 16;
// Maps this wide or narrower are filled element by element (see fillIm2colTSmall).
const SMALL_MAP = 4;
// Below this many floats a JS loop copies faster than copyWithin's call.
const SHORT_RUN = 8;

type Shape4 = [number, number, number, number];

function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: WasmBackendLike;
  attrs: Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`wasm Conv2DBackpropFilter supports float32 only, got ${x.dtype}/${dy.dtype}`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape as Shape4,
    strides,
    attrs.dilations ?? 1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    inChannels: C,
    outHeight: OH,
    outWidth: OW,
    outChannels: CO,
    filterHeight: KH,
    filterWidth: KW,
    strideHeight: SH,
    strideWidth: SW,
    dilationHeight: DH,
    dilationWidth: DW,
  } = info;
  const { top: PT, left: PL } = info.padInfo;
  assertShape(dy, info.outShape, 'dy');
  const K = KH * KW * C;
  const rows = B * OH; // output rows (b, h); a chunk is a range of them
  if (rows * OW === 0 || K * CO === 0) {
    const out = backend.makeOutput([K, CO], 'float32');
    const o = heapIndex(backend, out);
    backend.wasm.HEAPF32.fill(0, o, o + K * CO);
    return { ...out, shape: filterShape };
  }

  const transpose = wasmKernel('Transpose');
  const call = (f: KernelFunc, inputs: object, attrs: object = {}) =>
    f({ inputs, backend, attrs } as never) as TensorInfo;
  const geometry = { B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL };
  if (K <= FEW_TAPS && info.dataFormat === 'channelsLast' && chunkColsOverride === undefined) {
    return { ...fewTapsFilterGrad(x, dy, backend, geometry, call, transpose), shape: filterShape };
  }
  // x as [C, B, H, W] so each (channel, image, row) is a contiguous run.
  const channelsLast = info.dataFormat === 'channelsLast';
  const xT = channelsLast
    ? call(transpose, { x: { ...x, shape: [B * H * W, C] } }, { perm: [1, 0] })
    : call(transpose, { x }, { perm: [1, 0, 2, 3] });
  // dy as [B*OH*OW, CO].
  const dyT = channelsLast ? null : call(transpose, { x: dy }, { perm: [0, 2, 3, 1] });
  const dyRows: TensorInfo = { ...(dyT ?? dy), shape: [rows * OW, CO] };

  const matMul = wasmKernel('BatchMatMul');
  const add = wasmKernel('Add');
  const chunkCols = chunkColsOverride ?? CHUNK_COLS;
  const rowsPerChunk = Math.max(1, Math.floor(chunkCols / OW));
  let acc: TensorInfo | null = null;
  try {
    for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
      const r1 = Math.min(rows, r0 + rowsPerChunk);
      const whole = r0 === 0 && r1 === rows;
      const cols = (r1 - r0) * OW;
      const a = backend.makeOutput([K, cols], 'float32');
      const b = whole ? dyRows : backend.makeOutput([cols, CO], 'float32');
      // The heap may have grown with these allocations: take the view now.
      const heap = backend.wasm.HEAPF32;
      if (!whole) {
        const src = heapIndex(backend, dyRows) + r0 * OW * CO;
        heap.copyWithin(heapIndex(backend, b), src, src + cols * CO);
      }
      const blocks = SH === 1 && SW === 1 && DH === 1 && DW === 1 && W === OW;
      const fill = blocks ? (OW <= SMALL_MAP ? fillIm2colTSmall : fillIm2colTBlocks) : fillIm2colT;
      fill(heap, heapIndex(backend, xT), heapIndex(backend, a), r0, r1, geometry);
      const m = call(matMul, { a, b }, { transposeA: false, transposeB: false });
      backend.disposeData(a.dataId);
      if (!whole) backend.disposeData(b.dataId);
      if (acc == null) {
        acc = m;
      } else {
        const sum = call(add, { a: acc, b: m });
        backend.disposeData(acc.dataId);
        backend.disposeData(m.dataId);
        acc = sum;
      }
    }
  } catch (e) {
    if (acc) backend.disposeData(acc.dataId);
    throw e;
  } finally {
    backend.disposeData(xT.dataId);
    if (dyT) backend.disposeData(dyT.dataId);
  }
  // acc is [K, CO] = [KH, KW, CI, CO] in memory; it is ours, so relabel it.
  return { ...(acc as TensorInfo), shape: filterShape };
}

/**
 * dW for a filter with few taps × input channels (conv4's first layer: 9): as (dyᵀ · X)ᵀ with
 * X the plain im2col [pixels, K]. XNNPACK packs its right operand, here the small X, where
 * A · dy would pack all of dy (6 M floats for a 20-way episode, fresh every step): one
 * transpose of dy replaces that. Measured with fresh dy each call: 29 → ~18 ms for [120,28,28,1].
 */
function fewTapsFilterGrad(
  x: TensorInfo,
  dy: TensorInfo,
  backend: WasmBackendLike,
  g: Geometry,
  call: (f: KernelFunc, inputs: object, attrs?: object) => TensorInfo,
  transpose: KernelFunc,
): TensorInfo {
  const { B, OH, OW, KH, KW, C } = g;
  const P = B * OH * OW;
  const K = KH * KW * C;
  const CO = dy.shape[3];
  const dyT = call(transpose, { x: { ...dy, shape: [P, CO] } }, { perm: [1, 0] });
  const X = backend.makeOutput([P, K], 'float32');
  let m: TensorInfo | null = null;
  try {
    fillIm2col(backend.wasm.HEAPF32, heapIndex(backend, x), heapIndex(backend, X), g);
    m = call(wasmKernel('BatchMatMul'), { a: dyT, b: X }, { transposeA: false, transposeB: false });
    return call(transpose, { x: m }, { perm: [1, 0] });
  } finally {
    backend.disposeData(dyT.dataId);
    backend.disposeData(X.dataId);
    if (m) backend.disposeData(m.dataId);
  }
}

/** The plain im2col matrix [B*OH*OW, KH*KW*C] of NHWC x at heap[xOff...]; padding taps are 0. */
function fillIm2col(heap: Float32Array, xOff: number, out: number, g: Geometry): void {
  const { B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL } = g;
  let o = out;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH - PT + kh * DH;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW - PL + kw * DW;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
              for (let c = 0; c < C; c++) heap[o++] = 0;
            } else {
              const src = xOff + ((b * H + ih) * W + iw) * C;
              for (let c = 0; c < C; c++) heap[o++] = heap[src + c];
            }
          }
        }
      }
    }
  }
}

interface Geometry {
  B: number;
  H: number;
  W: number;
  C: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  SH: number;
  SW: number;
  DH: number;
  DW: number;
  PT: number;
  PL: number;
}

/**
 * Writes columns [r0*OW, r1*OW) of the transposed im2col matrix into
 * heap[aOff...] (row-major [KH*KW*C, (r1-r0)*OW]), reading x as [C,B,H,W] at
 * heap[xOff...]. Out-of-image taps (padding) become zeros.
 */
function fillIm2colT(
  heap: Float32Array,
  xOff: number,
  aOff: number,
  r0: number,
  r1: number,
  g: Geometry,
): void {
  const { B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL } = g;
  let o = aOff;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // Output columns w whose input column w*SW - PL + kw*DW lies inside x.
      const shift = kw * DW - PL;
      const wlo = Math.min(OW, Math.max(0, Math.ceil(-shift / SW)));
      const whi = Math.max(wlo, Math.min(OW, Math.floor((W - 1 - shift) / SW) + 1));
      for (let c = 0; c < C; c++) {
        for (let r = r0; r < r1; r++) {
          const b = Math.floor(r / OH);
          const ih = (r - b * OH) * SH - PT + kh * DH;
          if (ih < 0 || ih >= H) {
            heap.fill(0, o, o + OW);
            o += OW;
            continue;
          }
          const row = xOff + ((c * B + b) * H + ih) * W + shift;
          if (wlo > 0) heap.fill(0, o, o + wlo);
          if (SW === 1 && whi - wlo >= SHORT_RUN) {
            heap.copyWithin(o + wlo, row + wlo, row + whi); // native memmove
          } else if (SW === 1) {
            // short runs (7×7 and 3×3 maps): a call per run costs more than the copy
            for (let w = wlo; w < whi; w++) heap[o + w] = heap[row + w];
          } else {
            for (let w = wlo, s = row + wlo * SW; w < whi; w++, s += SW) heap[o + w] = heap[s];
          }
          if (whi < OW) heap.fill(0, o + whi, o + OW);
          o += OW;
        }
      }
    }
  }
}

/**
 * fillIm2colT for stride 1, no dilation and rows as wide as the output (e.g. 'same' padding):
 * then a tap's rows for one image are one contiguous run in both x and A, so each
 * (tap, channel, image) is one copy, after which the few border pixels that wrapped in from the
 * neighbouring row are zeroed. ~OH times fewer copy calls than row by row.
 */
function fillIm2colTBlocks(
  heap: Float32Array,
  xOff: number,
  aOff: number,
  r0: number,
  r1: number,
  g: Geometry,
): void {
  const { B, H, W, C, OH, OW, KH, KW, PT, PL } = g;
  const cols = (r1 - r0) * OW;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const shift = kw - PL;
      const wlo = Math.min(OW, Math.max(0, -shift));
      const whi = Math.max(wlo, Math.min(OW, W - shift));
      for (let c = 0; c < C; c++) {
        const rowBase = aOff + ((kh * KW + kw) * C + c) * cols;
        for (let r = r0; r < r1;) {
          const b = Math.floor(r / OH);
          const runEnd = Math.min(r1, (b + 1) * OH);
          const hA = r - b * OH;
          const hB = runEnd - b * OH;
          const hs = Math.min(hB, Math.max(hA, PT - kh));
          const he = Math.max(hs, Math.min(hB, H + PT - kh));
          const at = (h: number) => rowBase + (b * OH + h - r0) * OW;
          heap.fill(0, at(hA), at(hs));
          heap.fill(0, at(he), at(hB));
          if (he > hs) {
            const dst = at(hs);
            if (whi > wlo) {
              const src = xOff + ((c * B + b) * H + (hs - PT + kh)) * W + shift;
              heap.copyWithin(dst + wlo, src + wlo, src + (he - hs) * OW - (OW - whi));
            }
            // border columns: outside x, or wrapped in from the neighbouring row by the block copy
            for (let o = dst, end = at(he); o < end; o += OW) {
              for (let w = 0; w < wlo; w++) heap[o + w] = 0;
              for (let w = whi; w < OW; w++) heap[o + w] = 0;
            }
          }
          r = runEnd;
        }
      }
    }
  }
}

/**
 * fillIm2colTBlocks for tiny maps (conv4's 3×3 layer): a call per 9-float block costs more
 * than the copy, so every element is written by one plain loop (zero where the tap falls
 * outside). Measured for [120,3,3,64]: 8.3 → 4.9 ms; at 7×7 the block copies still win (21 vs 24).
 */
function fillIm2colTSmall(
  heap: Float32Array,
  xOff: number,
  aOff: number,
  r0: number,
  r1: number,
  g: Geometry,
): void {
  const { B, H, W, C, OH, OW, KH, KW, PT, PL } = g;
  let o = aOff;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const shift = kw - PL;
      for (let c = 0; c < C; c++) {
        for (let r = r0; r < r1; r++) {
          const b = Math.floor(r / OH);
          const ih = r - b * OH - PT + kh;
          if (ih < 0 || ih >= H) {
            for (let w = 0; w < OW; w++) heap[o++] = 0;
            continue;
          }
          const row = xOff + ((c * B + b) * H + ih) * W + shift;
          for (let w = 0; w < OW; w++) {
            const iw = w + shift;
            heap[o++] = iw >= 0 && iw < W ? heap[row + w] : 0;
          }
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
