// @hypermeta/core's FusedAdam for the wasm backend: one SIMD pass over the gradient, both
// moments and every variable (adam.wat), instead of ~13 element-wise kernels plus a split,
// reshape and subtract per variable. Bit-identical to core's composite update, and so is the
// JS loop that runs where the module cannot.
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { adamWasmBase64 } from './adam-wasm.js';
import { heapModule, type HeapOwner } from './heap-module.js';

/** Must equal @hypermeta/core's FusedAdam (a string, so this package needs no core import). */
export const FUSED_ADAM = 'HypermetaAdam';

export interface FusedAdamAttrs {
  /** Number of variables: inputs p0 … p{params−1}. */
  params: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** lr / (1 − β1^t) */
  a: number;
  /** 1 − β2^t */
  c2: number;
}

interface WasmBackend extends HeapOwner {
  wasm: HeapOwner['wasm'] & { HEAPF32: Float32Array };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  getMemoryOffset(dataId: object): number;
}

type AdamFn = (
  g: number,
  m: number,
  v: number,
  p: number,
  mo: number,
  vo: number,
  po: number,
  n: number,
  b1: number,
  nb1: number,
  b2: number,
  nb2: number,
  a: number,
  c2: number,
  eps: number,
) => void;

const simd = heapModule<{ adam: AdamFn }>(adamWasmBase64);

/**
 * adam.wat's arithmetic in JS, for engines where the module cannot run: each operation rounded to
 * float32 (a float64 result of +, −, ×, ÷ or √ on float32 values rounds to the float32 result),
 * so the same bits, ~8× slower. Offsets and n count floats.
 */
function adamScalar(
  heap: Float32Array,
  g: number,
  m: number,
  v: number,
  p: number,
  mo: number,
  vo: number,
  po: number,
  n: number,
  b1: number,
  nb1: number,
  b2: number,
  nb2: number,
  a: number,
  c2: number,
  eps: number,
): void {
  const f = Math.fround;
  [b1, nb1, b2, nb2, a, c2, eps] = [b1, nb1, b2, nb2, a, c2, eps].map(f);
  for (let i = 0; i < n; i++) {
    const gi = heap[g + i];
    const mi = f(f(heap[m + i] * b1) + f(gi * nb1));
    const vi = f(f(heap[v + i] * b2) + f(f(gi * gi) * nb2));
    heap[mo + i] = mi;
    heap[vo + i] = vi;
    heap[po + i] = f(heap[p + i] - f(f(mi * a) / f(f(Math.sqrt(f(vi / c2))) + eps)));
  }
}

function fusedAdam(args: {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs: FusedAdamAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { g, m, v } = inputs;
  const params = Array.from({ length: attrs.params }, (_, i) => inputs[`p${i}`]);
  const size = (t: TensorInfo) => util.sizeFromShape(t.shape);
  const total = params.reduce((a, p) => a + size(p), 0);
  // The pass indexes the heap by these sizes: they must agree exactly.
  for (const [name, t] of [
    ['g', g],
    ['m', m],
    ['v', v],
  ] as const) {
    if (!t || t.dtype !== 'float32' || size(t) !== total)
      throw new Error(`FusedAdam: ${name} must be float32 with ${total} elements (the variables' total)`);
  }
  if (params.some((p) => !p || p.dtype !== 'float32'))
    throw new Error(`FusedAdam: needs ${attrs.params} float32 variables p0…p${attrs.params - 1}`);
  const mo = backend.makeOutput([...m.shape], 'float32');
  const vo = backend.makeOutput([...v.shape], 'float32');
  const po = params.map((p) => backend.makeOutput([...p.shape], 'float32'));
  const module = simd.on(backend);
  const heap = backend.wasm.HEAPF32; // after the outputs' allocation: the heap may have grown
  // The module takes byte offsets, the JS loop float indices: positions are counted in `step`s.
  const step = module ? 1 : 4;
  const adam: AdamFn = module ? module.adam : (...args: Parameters<AdamFn>) => adamScalar(heap, ...args);
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId) / step;
  const { beta1, beta2, epsilon, a, c2 } = attrs;
  let offset = 0; // into g, m, v, where variable i's part starts
  params.forEach((p, i) => {
    const n = size(p);
    adam(
      at(g) + offset,
      at(m) + offset,
      at(v) + offset,
      at(p),
      at(mo) + offset,
      at(vo) + offset,
      at(po[i]),
      n,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      a,
      c2,
      epsilon,
    );
    offset += (4 / step) * n;
  });
  return [mo, vo, ...po];
}

export const fusedAdamConfig: KernelConfig = {
  kernelName: FUSED_ADAM,
  backendName: 'wasm',
  kernelFunc: fusedAdam as unknown as KernelFunc,
};
