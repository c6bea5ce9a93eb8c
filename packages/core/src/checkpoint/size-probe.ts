import { validateModelConfig, type ModelConfig } from '../model/config.js';
import { allShapes, buildComponents } from '../model/components.js';
import { paramCount } from '../params/param-shapes.js';

/**
 * The parameter count a saved model config implies, computed from shapes alone (no tensor is
 * made), so a checkpoint whose config asks for more parameters than its weights file holds is
 * refused before anything is allocated. Undefined for task families with no probe: their files
 * are still verified (sizes, checksums) before the model is built.
 */
export function savedParamCount(config: { task?: unknown }): number | undefined {
  if (config.task !== 'sinusoid') return undefined;
  return paramCount(allShapes(buildComponents(validateModelConfig(config as ModelConfig))));
}
