import { defaultOmniglotConfig, FewShotModel } from '@hypermeta/core';
import { loadModel } from '../runtime.js';

export interface FewShotSource {
  model: FewShotModel;
  /** What the page says about the model. */
  note: string;
  trained: boolean;
}

/**
 * The Omniglot checkpoint that public/models/models.json names ("omniglot": folder), if any. Without it the panel
 * still works end to end on an untrained Conv4 prototypical network (random features, nearest
 * class mean), and says so: the images, the episode layout and the model call are the same.
 */
export async function loadFewShotModel(): Promise<FewShotSource> {
  const index = await fetch(new URL('models/models.json', document.baseURI));
  const folder = index.ok ? ((await index.json()) as { omniglot?: string | null }).omniglot : null;
  if (folder) {
    const model = await loadModel(folder);
    if (!(model instanceof FewShotModel)) throw new Error(`${folder} holds a '${model.config.task}' model`);
    return {
      model,
      trained: true,
      note: `Omniglot ${model.config.method} model (Conv4, ${model.config.filters} filters).`,
    };
  }
  return {
    model: new FewShotModel(defaultOmniglotConfig('protonet'), 1),
    trained: false,
    note: 'No Omniglot checkpoint is shipped yet: this is an untrained Conv4 prototypical network (random features), so expect rough guesses.',
  };
}
