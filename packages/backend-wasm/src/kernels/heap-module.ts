// Our hand-written WebAssembly (the .wat files beside this one) running on tfjs-backend-wasm's
// own heap: each module imports that memory, so kernels read and write tensors in place.

/** The part of tfjs-backend-wasm's backend these modules need: its compiled module's memory. */
export interface HeapOwner {
  wasm: { asm: { memory: WebAssembly.Memory } };
}

export interface HeapModule<E> {
  /** Whether this engine can compile the module (they use WebAssembly SIMD). */
  supported(): boolean;
  /** The module's exports, instantiated once per heap. */
  on(backend: HeapOwner): E;
}

export function heapModule<E>(base64: string): HeapModule<E> {
  const bytes = (): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  let valid: boolean | undefined;
  const instances = new WeakMap<WebAssembly.Memory, E>();
  return {
    supported: () => (valid ??= typeof WebAssembly === 'object' && WebAssembly.validate(bytes())),
    on(backend) {
      const memory = backend.wasm.asm.memory;
      let e = instances.get(memory);
      if (!e) {
        // A few hundred bytes: small enough for a synchronous compile on a browser's main thread.
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes()), { env: { memory } });
        instances.set(memory, (e = instance.exports as E));
      }
      return e;
    },
  };
}
