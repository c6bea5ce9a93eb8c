import type { FewShotConfig } from '../fewshot-config.js';
import type { FewShotMethod } from '../method.js';
import { GeneratedMethod } from '../generated/generated-method.js';
import { FineTune } from './finetune.js';
import { HypernetMethod } from './hypernet.js';
import { Maml } from './maml.js';
import { ProtoNet } from './protonet.js';

/** The method object a config names (its name is checked by validateFewShotConfig first). */
export function createFewShotMethod(config: FewShotConfig): FewShotMethod {
  switch (config.method) {
    case 'hypernet':
      return new HypernetMethod(config);
    case 'protonet':
      return new ProtoNet();
    case 'maml':
      return new Maml(config);
    case 'finetune':
      return new FineTune(config);
    case 'generated':
      return new GeneratedMethod(config);
  }
}
