import { innerLrShapes } from '../adapt/inner-loop.js';
import type { Conditioner } from '../conditioning/conditioner.js';
import { EmbeddingConditioner } from '../conditioning/embedding-conditioner.js';
import { NoiseConditioner } from '../conditioning/noise-conditioner.js';
import { SetEncoder } from '../conditioning/set-encoder.js';
import { ChunkedHypernetwork } from '../generators/chunked-hypernetwork.js';
import type { Generator } from '../generators/generator.js';
import { MlpHypernetwork } from '../generators/mlp-hypernetwork.js';
import { constantFill } from '../params/init.js';
import { type ParamShapes, prefixShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import { MlpTaskNetwork } from '../tasknets/mlp-task-network.js';
import type { TaskNetwork } from '../tasknets/task-network.js';
import type { ModelConfig } from './model-config.js';

/** The pieces a config describes; they meet only through ParamShapes and the code size. */
export interface Components {
  taskNet: TaskNetwork;
  conditioner: Conditioner;
  generator: Generator;
  innerShapes: ParamShapes;
}

export function buildComponents(c: ModelConfig): Components {
  const taskNet = new MlpTaskNetwork({ sizes: c.taskNet.sizes });
  const conditioner: Conditioner =
    c.conditioning === 'encoder'
      ? new SetEncoder({
          inputSize: taskNet.inputSize,
          outputSize: taskNet.outputSize,
          codeSize: c.codeSize,
          ...c.encoder,
        })
      : c.conditioning === 'noise'
        ? new NoiseConditioner(c.codeSize)
        : new EmbeddingConditioner(c.codeSize, c.embeddingTasks);
  const generator: Generator =
    c.generator.kind === 'mlp'
      ? new MlpHypernetwork({
          targetShapes: taskNet.paramShapes,
          codeSize: c.codeSize,
          hidden: c.generator.hidden,
          baseInit: (r) => taskNet.init(r),
        })
      : new ChunkedHypernetwork({
          targetShapes: taskNet.paramShapes,
          codeSize: c.codeSize,
          chunkSize: c.generator.chunkSize,
          chunkEmbeddingSize: c.generator.chunkEmbeddingSize,
          hidden: c.generator.hidden,
        });
  return {
    taskNet,
    conditioner,
    generator,
    innerShapes: innerLrShapes(c.inner, taskNet.paramShapes, c.codeSize),
  };
}

/** All trainable shapes under their group prefixes: cond/, gen/, inner/. */
export function allShapes(p: Components): ParamShapes {
  return [
    ...prefixShapes('cond', p.conditioner.paramShapes),
    ...prefixShapes('gen', p.generator.paramShapes),
    ...prefixShapes('inner', p.innerShapes),
  ];
}

export function initialValues(p: Components, c: ModelConfig, rng: Rng): Float32Array[] {
  return [
    ...p.conditioner.init(rng),
    ...p.generator.init(rng),
    ...p.innerShapes.map((s) => constantFill(s, c.inner.lr)),
  ];
}
