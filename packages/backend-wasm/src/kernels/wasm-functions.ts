// Compiled functions of tfjs-backend-wasm's module that our kernels call directly.

export type WasmFunction = (...a: unknown[]) => void;

export interface WasmModule {
  cwrap(name: string, ret: null, args: string[]): WasmFunction;
}

/** Argument types tfjs-backend-wasm 4.22 binds for these functions of its module. */
const SIGNATURES: Record<string, string[]> = {
  // a_id, a_shape, a_rank, b_id, b_shape, b_rank, transpose_a, transpose_b, out_id
  BatchMatMul: ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number'],
  // …, activation, bias_id, prelu_weights_id, leakyrelu_alpha, out_id
  _FusedMatMul: [
    'number',
    'array',
    'number',
    'number',
    'array',
    'number',
    'number',
    'number',
    'number',
    'number',
    'number',
    'number',
    'number',
  ],
};

const wrapped = new WeakMap<WasmModule, Map<string, WasmFunction>>();

/** The module's function `name`, wrapped once per module. */
export function wasmFunction(module: WasmModule, name: keyof typeof SIGNATURES): WasmFunction {
  let byName = wrapped.get(module);
  if (!byName) wrapped.set(module, (byName = new Map()));
  let f = byName.get(name);
  if (!f) byName.set(name, (f = module.cwrap(name, null, SIGNATURES[name])));
  return f;
}

/** A shape as the module takes it: int32 values as bytes. */
export const shapeBytes = (s: number[]): Uint8Array => new Uint8Array(new Int32Array(s).buffer);
