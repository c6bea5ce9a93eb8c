// Our hand-written WebAssembly (the .wat files beside this one) running on tfjs-backend-wasm's
// own heap: each module imports that memory, so kernels read and write tensors in place.

/** The part of tfjs-backend-wasm's backend these modules need: its compiled module's memory. */
export interface HeapOwner {
  wasm: { asm: { memory: WebAssembly.Memory } };
}

export interface HeapModule<E> {
  /**
   * The module's exports on this backend's heap (instantiated once per heap), or undefined where
   * they cannot run: no WebAssembly SIMD, or a shared heap (tfjs's threaded build, in
   * cross-origin-isolated pages), which our modules do not import. Callers then run plain JS.
   */
  on(backend: HeapOwner): E | undefined;
}

let disabled = false;

/** Tests only: true makes every module report itself unavailable (the JS fallbacks run). */
export function disableHeapModulesForTests(off: boolean): void {
  disabled = off;
}

export function heapModule<E>(base64: string): HeapModule<E> {
  let compiled: WebAssembly.Module | undefined;
  const instances = new WeakMap<WebAssembly.Memory, E | null>();
  return {
    on(backend) {
      if (disabled) return undefined;
      const memory = backend.wasm.asm?.memory;
      if (!(memory instanceof WebAssembly.Memory)) return undefined;
      let e = instances.get(memory);
      if (e === undefined) {
        try {
          // A few hundred bytes: small enough for a synchronous compile on a browser's main thread.
          compiled ??= new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
          e = new WebAssembly.Instance(compiled, { env: { memory } }).exports as E;
        } catch {
          e = null; // no SIMD, or a shared memory: remembered, not retried
        }
        instances.set(memory, e);
      }
      return e ?? undefined;
    },
  };
}
