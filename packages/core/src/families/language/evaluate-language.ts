import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import { meanCi95, median } from '../../eval/stats.js';
import { disposeEpisode, type EpisodeTensors } from '../../fewshot/episode-tensors.js';
import type { FewShotMethod } from '../../fewshot/method.js';
import { ProtoNet } from '../../fewshot/methods/protonet.js';
import { Rng } from '../../random/rng.js';
import { buildNeighbours } from '../../text/neighbours.js';
import type { TextClass, TextEpisode } from '../../text/text-types.js';
import { charLmBaseline, charLmPredictions, type CharLmPrior } from '../../text/char-lm.js';
import { trigramBaseline } from '../../text/trigram-baseline.js';
import { drawLanguageEpisode } from './draw-episode.js';
import type { LanguageModel } from './language-model.js';
import { SetHypernet } from './set-hypernet.js';

export interface LanguageEvalOptions {
  episodes: number;
  ways: number;
  shots: number;
  /** Query examples per class. */
  queries: number;
  /** Characters per query example (0: whole paragraphs). */
  snippet: number;
  /** Characters per support example (0: whole paragraphs, the reference protocol). */
  supportSnippet: number;
  /** Each episode's languages are neighbours (same script, similar n-gram profiles). */
  confusable: boolean;
  seed: number;
  /** Also score the trigram-profile baseline on the same episodes. */
  baseline?: boolean;
  /**
   * hypernet: also score the prototype classifier on the same embeddings (every generated part
   * removed) and, for a hypernet that writes language models, its classifier without them and
   * the language models alone under their trained weights.
   */
  ablation?: boolean;
}

/** Accuracy with its 95 % confidence half-width, over episodes. */
export interface Scored {
  accuracy: number;
  ci95: number;
}

export interface LanguageEvalResult extends Scored {
  perEpisode: number[];
  /** Mean wall time to adapt to one episode and classify its queries (the first episodes' warm-up included). */
  msPerEpisode: number;
  /**
   * The median of the same times: the latency of an adaptation once the process is warm (the
   * first episodes take 20 to 60 ms while the JavaScript engine compiles and the backend sets
   * its kernels up, which moves the mean over 600 episodes by about half a millisecond).
   */
  msPerEpisodeMedian: number;
  baseline?: Scored;
  /** The character language-model baseline (no training, order 5) on the same episodes. */
  charLmBaseline?: Scored;
  /** The same with the model's bank of training languages mixed in (its order; no trained weight). */
  charLmBankBaseline?: Scored;
  prototypeHead?: Scored;
  /** Ablations of a hypernet that writes language models: without them, and them alone. */
  withoutLm?: Scored;
  lmOnly?: Scored;
}

/** Fraction of an episode's queries whose highest logit is their label. */
export function textEpisodeAccuracy(
  model: LanguageModel,
  ep: EpisodeTensors<tf.Tensor3D>,
  method?: FewShotMethod,
): number {
  const logits = model.queryLogits(ep, method);
  const acc = tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), ep.queryLabels!), 'float32')).dataSync()[0],
  );
  logits.dispose();
  return acc;
}

/** Fraction of the queries the trigram baseline labels right. */
export function baselineAccuracy(e: TextEpisode): number {
  const predicted = trigramBaseline(e);
  return predicted.filter((p, i) => p === e.queryLabels[i]).length / predicted.length;
}

/** Fraction of the queries the character language-model baseline labels right. */
export function charLmBaselineAccuracy(e: TextEpisode, order = 5, prior?: CharLmPrior): number {
  const predicted = charLmBaseline(e, order, prior);
  return predicted.filter((p, i) => p === e.queryLabels[i]).length / predicted.length;
}

/** The methods an ablation scores on the same trained weights, by result field. */
function ablations(model: LanguageModel): Partial<Record<keyof LanguageEvalResult, FewShotMethod>> {
  const m = model.method;
  const lm = m instanceof SetHypernet && model.config.lmOrder > 0;
  return {
    prototypeHead: new ProtoNet(),
    ...(lm ? { withoutLm: m.without('ngram'), lmOnly: m.without('embedding') } : {}),
  };
}

/** Scores the model (and, when asked, the baselines and the ablations) on given episodes. */
export function scoreTextEpisodes(
  model: LanguageModel,
  episodes: Iterable<TextEpisode>,
  o: { baseline?: boolean; ablation?: boolean },
): LanguageEvalResult {
  const perEpisode: number[] = [];
  const base: number[] = [];
  const charLm: number[] = [];
  const charLmBank: number[] = [];
  const variants = Object.entries(o.ablation ? ablations(model) : {}) as [string, FewShotMethod][];
  const ablated = variants.map(() => [] as number[]);
  const ms: number[] = [];
  // the bank baseline is the argmax of the model's own language models where they are the
  // baseline's (its default estimator): read from the episode's scores, not computed again
  const bankBaselineIsModels =
    model.needsBank && model.config.lmFloor === 'pooled' && model.config.lmBeta === 1;
  for (const drawn of episodes) {
    const t0 = performance.now();
    // the language models' scores are part of adapting to the episode: computed inside the timing
    const e = o.baseline && bankBaselineIsModels ? model.withLmScores(drawn) : drawn;
    const ep = model.episodeTensors(e);
    try {
      perEpisode.push(textEpisodeAccuracy(model, ep));
      ms.push(performance.now() - t0);
      variants.forEach(([, method], i) => ablated[i].push(textEpisodeAccuracy(model, ep, method)));
    } finally {
      disposeEpisode(ep);
    }
    if (o.baseline) {
      base.push(baselineAccuracy(e));
      charLm.push(charLmBaselineAccuracy(e));
      if (bankBaselineIsModels) {
        const order = model.config.lmOrder;
        const predicted = charLmPredictions(e.lmScores!, e.queryTexts.length, e.classes.length, order);
        charLmBank.push(predicted.filter((p, i) => p === e.queryLabels[i]).length / predicted.length);
      } else if (model.needsBank)
        charLmBank.push(charLmBaselineAccuracy(e, model.config.lmOrder, model.lmOptions(e).prior));
    }
  }
  const scored = (xs: number[]) => {
    const { mean, ci95 } = meanCi95(xs);
    return { accuracy: mean, ci95 };
  };
  return {
    ...scored(perEpisode),
    perEpisode,
    msPerEpisode: ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length),
    msPerEpisodeMedian: ms.length ? median(ms) : 0,
    ...(o.baseline ? { baseline: scored(base), charLmBaseline: scored(charLm) } : {}),
    ...(charLmBank.length ? { charLmBankBaseline: scored(charLmBank) } : {}),
    ...Object.fromEntries(variants.map(([field], i) => [field, scored(ablated[i])])),
  };
}

/** Episodes drawn from `classes` (typically the held-out languages), one at a time. */
function* drawEpisodes(classes: readonly TextClass[], o: LanguageEvalOptions): Generator<TextEpisode> {
  const rng = Rng.fromSeed(o.seed, 'language-eval');
  const neighbours = o.confusable ? buildNeighbours(classes) : undefined;
  const options = {
    ways: o.ways,
    shots: o.shots,
    queries: o.queries,
    snippet: o.snippet,
    supportSnippet: o.supportSnippet,
    confusable: o.confusable,
  };
  for (let i = 0; i < o.episodes; i++) yield drawLanguageEpisode(classes, options, rng, neighbours);
}

/** Accuracy over episodes sampled from `classes`; the same seed gives the same episodes for every model. */
export function evaluateLanguage(
  model: LanguageModel,
  classes: readonly TextClass[],
  o: LanguageEvalOptions,
): LanguageEvalResult {
  if (!Number.isInteger(o.episodes) || o.episodes < 1 || o.episodes > 1_000_000)
    throw new InvalidArgumentError(`episodes must be an integer from 1 to 1000000, got ${o.episodes}`);
  return scoreTextEpisodes(model, drawEpisodes(classes, o), o);
}
