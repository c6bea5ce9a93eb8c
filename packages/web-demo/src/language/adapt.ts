import {
  charLmScores,
  disposeEpisode,
  type LanguageModel,
  SetHypernet,
  textBatch,
  tf,
} from '@hypermeta/core';

/**
 * A language identifier adapted to one sentence per language: the weights queries are embedded
 * with and the generated linear classifier over the embeddings (kernel [F, C], bias [C]).
 */
export interface AdaptedLanguages {
  languages: string[];
  backbone: tf.Tensor[];
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** The support sentences, which a hypernet's character language models are written from. */
  sentences: string[];
  /** Wall time of the adaptation: encoding the support sentences and generating the classifier. */
  ms: number;
}

export interface LanguageGuess {
  /** Softmax over the languages of the query's logits. */
  scores: number[];
  predicted: number;
  /** Wall time of the classification: encoding the query and applying the classifier. */
  ms: number;
}

/**
 * THE ADAPTATION of the language panel: one support sentence per language (`sentences[c]` for
 * `languages[c]`) becomes a classifier, with no gradient step. The set hypernet generates it from
 * the whole support set (SetHypernet.head); the other methods give theirs through the export hook
 * (adaptedClassifier), so any language checkpoint works here.
 */
export function adaptToLanguages(
  model: LanguageModel,
  languages: string[],
  sentences: string[],
): AdaptedLanguages {
  const t0 = performance.now();
  // The episode's one query is a placeholder: adapting reads the support set only.
  const ep = model.episodeTensors(
    {
      classes: languages,
      supportTexts: sentences,
      supportLabels: sentences.map((_, c) => c),
      queryTexts: [sentences[0]],
      queryLabels: [],
    },
    false,
  );
  try {
    const method = model.method;
    const own = model.backbone();
    const head = tf.tidy(() => {
      if (method instanceof SetHypernet) {
        const { w, b } = method.head(model, model.embedImages(own, ep.support), ep);
        return { backbone: own, kernel: tf.transpose(w) as tf.Tensor2D, bias: b };
      }
      if (!method.adaptedClassifier) throw new Error(`the ${method.name} method gives no classifier`);
      const a = method.adaptedClassifier(model, ep);
      const dense = a.layers.length === 1 && a.layers[0].kind === 'dense' ? a.layers[0] : undefined;
      if (!dense) throw new Error(`the ${method.name} method's classifier is not one linear layer`);
      return {
        backbone: a.backbone ?? own,
        kernel: tf.tensor2d(dense.kernel, dense.kernelShape),
        bias: dense.bias ? tf.tensor1d(dense.bias) : tf.zeros([dense.kernelShape[1]]),
      };
    });
    head.kernel.dataSync(); // the time includes the work, not just its scheduling
    return { languages, sentences, ...head, ms: performance.now() - t0 } as AdaptedLanguages;
  } finally {
    disposeEpisode(ep);
  }
}

/** THE CLASSIFICATION of the language panel: one query sentence against an adapted identifier. */
export function identifyLanguage(model: LanguageModel, a: AdaptedLanguages, query: string): LanguageGuess {
  const t0 = performance.now();
  const batch = textBatch([query], model.config.encoder);
  const ids = tf.tensor3d(batch.ids, batch.shape, 'int32');
  const method = model.method;
  // the model's own options: a model whose language models borrow from a bank of training
  // languages refuses here without one, rather than scoring without it
  const lmOptions = model.lmOptions({
    classes: a.languages,
    supportTexts: a.sentences,
    supportLabels: a.sentences.map((_, c) => c),
    queryTexts: [query],
    queryLabels: [],
  });
  const order = lmOptions.order;
  // The hypernet's language models score the query under each language's support sentence, with
  // the estimator the model was trained with.
  const lm =
    method instanceof SetHypernet && order > 0
      ? tf.tensor3d(
          charLmScores(
            a.sentences.map((t) => [t]),
            [query],
            lmOptions,
          ),
          [1, a.languages.length, order],
        )
      : undefined;
  try {
    const probs = tf.tidy(() => {
      const q = model.embedImages(a.backbone, ids);
      if (method instanceof SetHypernet)
        return tf.softmax(method.classify(model, q, { w: tf.transpose(a.kernel), b: a.bias }, lm));
      return tf.softmax(tf.add(tf.matMul(q, a.kernel), a.bias));
    });
    const scores = Array.from(probs.dataSync());
    probs.dispose();
    return { scores, predicted: scores.indexOf(Math.max(...scores)), ms: performance.now() - t0 };
  } finally {
    tf.dispose([ids, ...(lm ? [lm] : [])]);
  }
}

/** Frees what an adaptation made (never the model's own weights). */
export function disposeAdapted(model: LanguageModel, a: AdaptedLanguages): void {
  const own = new Set(model.backbone());
  tf.dispose([a.kernel, a.bias, ...a.backbone.filter((t) => !own.has(t))]);
}
