import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import { MlpTaskNetwork } from '../tasknets/mlp-task-network.js';
import type { TaskNetwork } from '../tasknets/task-network.js';
import type { LayerSpec, NetworkSpec } from './network-spec.js';

/**
 * An MLP task network under one task's parameters (each [1, ...shape], as a generator or an inner
 * loop emits them) as plain layers: dense, then the network's activation between layers.
 */
export function mlpNetwork(
  net: TaskNetwork,
  params: readonly tf.Tensor[],
  notes: Pick<NetworkSpec, 'inputNote' | 'outputNote'>,
): NetworkSpec {
  if (!(net instanceof MlpTaskNetwork))
    throw new InvalidArgumentError(`a '${net.kind}' task network cannot be exported (MLPs can)`);
  if (params.length !== net.paramShapes.length || params.some((p) => p.shape[0] !== 1))
    throw new InvalidArgumentError("export takes one task's parameters, each [1, ...shape]");
  const activation = net.options.activation ?? 'relu';
  const layers: LayerSpec[] = [];
  for (let i = 0; i < params.length; i += 2) {
    const [nin, nout] = net.paramShapes[i].shape;
    layers.push({
      kind: 'dense',
      kernel: Float32Array.from(params[i].dataSync()),
      kernelShape: [nin, nout],
      bias: Float32Array.from(params[i + 1].dataSync()),
    });
    if (i + 2 < params.length && activation === 'relu') layers.push({ kind: 'relu' });
  }
  return { inputShape: [net.inputSize], layers, ...notes };
}
