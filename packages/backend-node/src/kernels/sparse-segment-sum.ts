import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-node's backend a kernel needs: its binding's type codes and the eager op call. */
interface NativeBackend {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number; TF_INT32: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.TensorInfo[]): tf.TensorInfo;
}

/**
 * SparseSegmentSum on native TensorFlow. tfjs-node 4.22 registers no kernel for it, although
 * TensorFlow has the op; the language family's embedding bag sums its n-gram rows with it (a
 * gather is far slower on wasm and its gradient needs a kernel wasm lacks), so without this
 * kernel that family could not run on the node backend.
 */
export const sparseSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'SparseSegmentSum',
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, backend }) => {
    const { data, indices, segmentIds } = inputs as Record<string, tf.TensorInfo>;
    const native = backend as unknown as NativeBackend;
    const b = native.binding;
    const type = (name: string, code: number) => ({ name, type: b.TF_ATTR_TYPE, value: code });
    const attrs = [
      type('T', data.dtype === 'int32' ? b.TF_INT32 : b.TF_FLOAT),
      type('Tidx', b.TF_INT32),
      type('Tsegmentids', b.TF_INT32),
    ];
    return native.executeSingleOutput('SparseSegmentSum', attrs, [data, indices, segmentIds]);
  },
};

/** Registers the kernels tfjs-node lacks; call once tfjs-node has loaded (its backend exists). */
export function registerNodeKernels(): void {
  for (const config of [sparseSegmentSumConfig])
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
}
