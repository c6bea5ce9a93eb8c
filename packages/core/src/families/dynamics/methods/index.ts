import { type DynamicsConfig, factorSize, inputSize, outputSize } from '../dynamics-config.js';
import { ConcatMethod, HypernetMethod } from './encoded.js';
import { MamlMethod } from './maml.js';
import type { DynamicsMethod } from './method.js';
import { GlobalMethod, OracleMethod } from './shared-mlp.js';

export type { DynamicsContext, DynamicsMethod } from './method.js';

/** The method object a config names, sized for its environment. */
export function createDynamicsMethod(c: DynamicsConfig): DynamicsMethod {
  const inN = inputSize(c.env);
  const outN = outputSize(c.env);
  switch (c.method) {
    case 'hypernet':
      return new HypernetMethod(c, inN, outN);
    case 'concat':
      return new ConcatMethod(c, inN, outN);
    case 'global':
      return new GlobalMethod([inN, ...c.hidden, outN]);
    case 'oracle':
      return new OracleMethod([inN + factorSize(c.env), ...c.hidden, outN]);
    case 'maml':
      return new MamlMethod([inN, ...c.hidden, outN], c.maml);
  }
}
