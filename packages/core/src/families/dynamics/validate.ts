import { checkParamCount } from '../../model/config.js';
import { paramCount } from '../../params/param-shapes.js';
import { type DynamicsConfig, validateDynamicsFields } from './dynamics-config.js';
import { createDynamicsMethod } from './methods/index.js';
import { validateOnPolicyConfig } from './on-policy-config.js';

/** Parameter count from shapes alone (no tensor is made). */
export function dynamicsParamCount(c: DynamicsConfig): number {
  return paramCount(createDynamicsMethod(c).paramShapes);
}

/** Every field, then the parameter ceiling; throws InvalidArgumentError naming the first problem. */
export function validateDynamicsConfig(c: DynamicsConfig): DynamicsConfig {
  validateDynamicsFields(c);
  if (c.data.onPolicy !== undefined) validateOnPolicyConfig(c.data.onPolicy, c.data);
  checkParamCount(dynamicsParamCount(c), 'use smaller --hidden layers or a smaller code');
  return c;
}
