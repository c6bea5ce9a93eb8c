import { defaultLanguageConfig, LanguageModel, loadCheckpoint } from '@hypermeta/core';
import { fetchReader } from '../runtime.js';

export interface LanguageSource {
  model: LanguageModel;
  /** What the page says about the model. */
  note: string;
  trained: boolean;
}

/** One language of public/models/language/examples.json (made by scripts/make-language-examples.mjs). */
export interface ExampleLanguage {
  code: string;
  name: string;
  /** The fixed training split held it out: the model never saw a word of it. */
  heldOut: boolean;
  /** The same UDHR articles in every language; the first is the support example, the rest queries. */
  sentences: string[];
}

export interface ExampleSet {
  source: string;
  languages: ExampleLanguage[];
}

const url = (path: string) => new URL(path, document.baseURI);

/**
 * The language checkpoint that public/models/models.json names ("language": folder), if any.
 * Without it the panel still works on an untrained text encoder with the same method (random
 * n-gram embeddings, which already tell many languages apart), and says so.
 */
export async function loadLanguageModel(): Promise<LanguageSource> {
  const index = await fetch(url('models/models.json'));
  const folder = index.ok ? ((await index.json()) as { language?: string | null }).language : null;
  if (folder) {
    // optimizer: false skips the optimizer moments, two thirds of a checkpoint's bytes.
    const { model, manifest } = await loadCheckpoint(fetchReader(url(folder).href), { optimizer: false });
    if (!(model instanceof LanguageModel)) throw new Error(`${folder} holds a '${model.config.task}' model`);
    const e = model.config.encoder;
    const params = model.store.variables.reduce((n, v) => n + v.size, 0);
    const sketch = e.sketch ? ` and a ${e.sketch}-coordinate n-gram sketch` : '';
    const lm = model.config.lmOrder
      ? ` It also writes an order-${model.config.lmOrder} character language model of each language from its sentence.`
      : '';
    return {
      model,
      trained: true,
      note:
        `Language model: ${model.config.method} (${model.config.generator} generator), ` +
        `${manifest.state.step} training steps on the UDHR's training languages; character 1–${Math.max(...e.orders)}-grams in ` +
        `${e.buckets} buckets, ${e.width}-wide embeddings${sketch}, ${(params / 1000).toFixed(0)}k weights.${lm}`,
    };
  }
  return {
    // no bank of training languages in the page: the untrained models are the episode's own
    model: new LanguageModel({ ...defaultLanguageConfig('hypernet'), lmBank: 0 }, 1),
    trained: false,
    note:
      'No language checkpoint is shipped yet: this is an untrained text encoder (random n-gram ' +
      'embeddings), so expect rough guesses.',
  };
}

/** The example sentences, or none when the file is missing (typing still works). */
export async function loadExamples(): Promise<ExampleSet> {
  const r = await fetch(url('models/language/examples.json'));
  return r.ok ? ((await r.json()) as ExampleSet) : { source: '', languages: [] };
}
