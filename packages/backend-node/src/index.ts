import { availableParallelism } from 'node:os';
import { registerBackendLoader } from '@hypermeta/core/backend';
import { registerNodeKernels } from './kernels/sparse-segment-sum.js';

/** Why tfjs-node is usually missing, and what to do about it: shown when it cannot load. */
export const NODE_BACKEND_HELP =
  '@tensorflow/tfjs-node is not installed or its native addon is missing: run `npm run setup:node`, which builds ' +
  "the addon from a TensorFlow CPU wheel that pip can get (tfjs-node's own install script needs network access " +
  'to storage.googleapis.com; see docs/NODE-BACKEND.md), or use --backend wasm';

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * TensorFlow's intra-op thread count (the pool one kernel such as matMul or conv2d splits its
 * work over) for the node backend: HYPERMETA_NODE_THREADS where set (the override), else a
 * TF_NUM_INTRAOP_THREADS already in the environment, else the cores Node may use.
 *
 * tfjs-node 4.22 has no API for threads: it creates TensorFlow's eager context with default
 * options, and libtensorflow then reads TF_NUM_INTRAOP_THREADS from the environment. So the
 * loader sets that variable before it imports tfjs-node; it has no effect on a tfjs-node that
 * was imported earlier. Measured on 2 cores (TF 2.21, 1024² matMul): 1 thread ≈ 90 GFLOP/s,
 * 2 threads ≈ 150 GFLOP/s. The inter-op pool (TF_NUM_INTEROP_THREADS) is left alone: tfjs-node
 * runs one op at a time.
 */
export function nodeIntraOpThreads(env: NodeJS.ProcessEnv = process.env): number {
  return (
    positiveInt(env.HYPERMETA_NODE_THREADS) ??
    positiveInt(env.TF_NUM_INTRAOP_THREADS) ??
    availableParallelism()
  );
}

/**
 * The native libtensorflow backend. tfjs-node is an optional dependency whose addon the root
 * `postinstall` builds (packages/backend-node/scripts/setup-tfjs-node.mjs): where it is missing
 * the loader fails with one clear reason and resolution falls back to the next backend.
 */
registerBackendLoader({
  name: 'node',
  tfName: 'tensorflow',
  priority: 3,
  async setUp() {
    process.env.TF_NUM_INTRAOP_THREADS = String(nodeIntraOpThreads());
    // TensorFlow's INFO lines (CPU feature notes) on every start; warnings and errors still show.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
    const specifier = '@tensorflow/tfjs-node';
    try {
      // A variable specifier keeps bundlers from trying to resolve an optional native package.
      await import(/* @vite-ignore */ specifier);
    } catch (e) {
      const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new Error(`${NODE_BACKEND_HELP} (${detail})`);
    }
    registerNodeKernels();
  },
});
