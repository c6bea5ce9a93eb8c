import { registerBackendLoader } from '@hypermeta/core';

/** Why tfjs-node is usually missing, and what to do about it: shown when it cannot load. */
export const NODE_BACKEND_HELP =
  '@tensorflow/tfjs-node is not installed or its native addon is missing (its install script downloads ' +
  'libtensorflow from storage.googleapis.com, which needs network access); use --backend wasm, or run ' +
  '`npm install @tensorflow/tfjs-node@4.22.0` on a machine with that access';

/**
 * The native libtensorflow backend. tfjs-node is an optional dependency: where it is missing
 * the loader fails with one clear reason and resolution falls back to the next backend.
 */
registerBackendLoader({
  name: 'node',
  tfName: 'tensorflow',
  priority: 3,
  async setUp() {
    const specifier = '@tensorflow/tfjs-node';
    try {
      // A variable specifier keeps bundlers from trying to resolve an optional native package.
      await import(/* @vite-ignore */ specifier);
    } catch (e) {
      const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new Error(`${NODE_BACKEND_HELP} (${detail})`);
    }
  },
});
