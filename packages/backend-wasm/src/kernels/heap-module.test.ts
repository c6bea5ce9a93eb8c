import { describe, expect, it } from 'vitest';
import { adamWasmBase64 } from './adam-wasm.js';
import { heapModule } from './heap-module.js';

const owner = (memory: unknown) => ({ wasm: { asm: { memory } } }) as never;

describe('heapModule (our .wat modules on a tfjs heap)', () => {
  it('instantiates once per heap and runs on it', () => {
    const m = heapModule<{ adam: (...a: number[]) => void }>(adamWasmBase64);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const a = m.on(owner(memory));
    expect(typeof a?.adam).toBe('function');
    expect(m.on(owner(memory))).toBe(a);
    // one element: g = 1 at byte 0, m = v = 0 at 4 and 8, p = 1 at 12; outputs at 16, 20, 24
    const f = new Float32Array(memory.buffer);
    f.set([1, 0, 0, 1]);
    a!.adam(0, 4, 8, 12, 16, 20, 24, 1, 0.9, 0.1, 0.999, 0.001, 0.1, 0.001, 1e-8);
    expect(f[4]).toBeCloseTo(0.1, 6); // m' = 0.1·g
    expect(f[5]).toBeCloseTo(0.001, 6); // v' = 0.001·g²
    expect(f[6]).toBeCloseTo(1 - (0.1 * 0.1) / (1 + 1e-8), 5); // p − a·m'/(√(v'/c2) + eps)
  });

  it('reports a shared heap (tfjs threaded build) or a missing one as unavailable', () => {
    const m = heapModule(adamWasmBase64);
    expect(m.on(owner(new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true })))).toBeUndefined();
    expect(m.on(owner(undefined))).toBeUndefined();
  });

  it('reports a module the engine cannot compile as unavailable', () => {
    expect(heapModule(btoa('not wasm')).on(owner(new WebAssembly.Memory({ initial: 1 })))).toBeUndefined();
  });
});
