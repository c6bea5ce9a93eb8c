import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import { disposeEpisode } from '../../fewshot/episode-tensors.js';
import { FineTune } from '../../fewshot/methods/finetune.js';
import type { Rng } from '../../random/rng.js';
import { buildNeighbours, type Neighbours } from '../../text/neighbours.js';
import { snippet } from '../../text/snippet.js';
import type { TextClass, TextCorpus, TextEpisode } from '../../text/text-types.js';
import { textBatch } from '../../textnet/text-ids.js';
import type { StepObjective } from '../../train/meta-learner.js';
import type { PartGradient, SplitLearner, SplitStep } from '../../train/split-step.js';
import type { TrainConfig } from '../../train/train-config.js';
import { drawLanguageEpisode } from './draw-episode.js';
import type { LanguageModel } from './language-model.js';

/** Every CALIBRATION_EVERY-th training language (positions 4, 9, … in the corpus's order). */
const CALIBRATION_EVERY = 5;

/**
 * A training corpus's languages split for calibration: with calibrationShare > 0, every fifth
 * one (in code order, so every run gets the same split) is kept for calibration episodes; the
 * others train the encoder. Without calibration every training language trains the encoder.
 */
export function calibrationSplit(
  train: readonly TextClass[],
  calibrationShare: number,
): { learn: TextClass[]; calibrate: TextClass[] } {
  if (calibrationShare === 0) return { learn: [...train], calibrate: [] };
  const held = (i: number) => i % CALIBRATION_EVERY === CALIBRATION_EVERY - 1;
  return { learn: train.filter((_, i) => !held(i)), calibrate: train.filter((_, i) => held(i)) };
}

/**
 * Meta-training on text episodes of the training languages: `metaBatch` episodes per step (one
 * part each, so worker threads can share a step), a `confusableShare` of them drawn among
 * neighbouring languages. finetune instead pre-trains a classifier over every training language
 * on batches of metaBatch × queries snippets (one part: the batch is one objective).
 */
export class LanguageLearner implements SplitLearner<TextEpisode> {
  private readonly pools: { learn: TextClass[]; calibrate: TextClass[] };
  private readonly neighbours = new Map<TextClass[], Neighbours>();

  constructor(
    readonly model: LanguageModel,
    readonly corpus: TextCorpus,
    readonly config: TrainConfig,
  ) {
    this.pools = calibrationSplit(corpus.train, model.config.calibrationShare);
    // every training language, the episode's own left out per episode (LanguageModel.lmOptions)
    model.ensureBank(corpus.train);
    const ways = model.config.trainWays;
    const calibrating = model.config.calibrationShare > 0;
    for (const [name, pool] of Object.entries(this.pools))
      if ((pool.length > 0 || (name === 'calibrate' && calibrating)) && pool.length < ways)
        throw new InvalidArgumentError(
          `${ways}-way training episodes need ${ways} languages; the ${name} pool has ${pool.length}` +
            (name === 'calibrate'
              ? ' (every fifth training language): lower --ways or --calibration-share 0'
              : ''),
        );
  }

  get store() {
    return this.model.store;
  }

  get splittable(): boolean {
    return !(this.model.method instanceof FineTune);
  }

  /** A pool's neighbour ranking, built on first use (finetune never needs it). */
  private neighboursOf(pool: TextClass[]): Neighbours {
    let n = this.neighbours.get(pool);
    if (!n) this.neighbours.set(pool, (n = buildNeighbours(pool)));
    return n;
  }

  splitStep(rng: Rng): SplitStep<TextEpisode> {
    if (!this.splittable) throw new Error('finetune pre-training steps cannot be split; use runStep');
    const c = this.config;
    const m = this.model.config;
    const shots = c.shotsMin + rng.int(c.shotsMax - c.shotsMin + 1);
    const parts = Array.from({ length: c.metaBatch }, () => {
      // drawn only when calibrating, so a run without it draws the same episodes as before
      const calibration = m.calibrationShare > 0 && rng.uniform() < m.calibrationShare;
      const pool = calibration ? this.pools.calibrate : this.pools.learn;
      const confusable = rng.uniform() < m.confusableShare;
      const options = {
        ways: m.trainWays,
        shots,
        queries: c.queries,
        snippet: m.snippet,
        supportSnippet: m.supportSnippet,
        confusable,
      };
      const drawn = drawLanguageEpisode(pool, options, rng, confusable ? this.neighboursOf(pool) : undefined);
      // scored here, where the bank is: the worker threads that compute gradients have none
      const e = this.model.needsBank ? this.model.withLmScores(drawn, true) : drawn;
      return calibration ? { ...e, calibration } : e;
    });
    return { shots, parts };
  }

  partGradient(part: TextEpisode): PartGradient {
    return this.model.episodeGradient(part);
  }

  stepObjective(rng: Rng): StepObjective {
    const method = this.model.method;
    if (method instanceof FineTune) return this.pretrainStep(method, rng);
    const { shots, parts } = this.splitStep(rng);
    const eps = parts.map((p) => this.model.episodeTensors(p));
    const objectives = eps.map((e) => this.model.episodeObjective(e));
    return {
      shots,
      loss: () => tf.mean(tf.stack(objectives.map((o) => o.loss()))) as tf.Scalar,
      dispose: () => {
        objectives.forEach((o) => o.dispose());
        eps.forEach(disposeEpisode);
      },
    };
  }

  private pretrainStep(method: FineTune, rng: Rng): StepObjective {
    const n = this.config.metaBatch * this.config.queries;
    const classes = this.corpus.train;
    const labels = Int32Array.from({ length: n }, () => rng.int(classes.length));
    const texts = Array.from(labels, (l) => randomSnippet(classes[l], this.model.config.snippet, rng));
    const batch = textBatch(texts, this.model.config.encoder);
    const ids = tf.tensor3d(batch.ids, batch.shape, 'int32');
    const y = tf.tensor1d(labels, 'int32');
    return {
      shots: 0,
      // The shared finetune objective is typed for image batches; it only hands them to the encoder.
      loss: method.pretrainObjective(this.model, ids as unknown as tf.Tensor4D, y),
      dispose: () => tf.dispose([ids, y]),
    };
  }
}

/** A snippet of a random non-empty paragraph of a class. */
function randomSnippet(c: TextClass, length: number, rng: Rng): string {
  const paragraphs = c.articles.flat().filter((p) => p.length > 0);
  return snippet(paragraphs[rng.int(paragraphs.length)], length, rng);
}
