import { InvalidArgumentError } from '../../errors/errors.js';
import {
  checkInt,
  checkNonNegative,
  checkOneOf,
  checkPositive,
  checkPositiveInts,
} from '../../validate/checks.js';
import { CHAR_LM_FLOORS, type CharLmFloor, type CharLmOptions } from '../../text/char-lm.js';
import { type TextEncoderConfig, validateTextEncoder } from '../../textnet/text-encoder.js';

export const LANGUAGE = 'language';
export const LANGUAGE_METHODS = ['hypernet', 'protonet', 'maml', 'finetune'] as const;
export type LanguageMethod = (typeof LANGUAGE_METHODS)[number];
/** hypernet's generator: conditioned on the whole support set (attention), or class by class. */
export const LANGUAGE_GENERATORS = ['set', 'class'] as const;

/** A language-identification model: the text encoder, the method, and how its training episodes were drawn. */
export interface LanguageConfig {
  task: typeof LANGUAGE;
  method: LanguageMethod;
  encoder: TextEncoderConfig;
  /** hypernet: 'set' (each class's weights see every support example, through attention) or 'class'. */
  generator: (typeof LANGUAGE_GENERATORS)[number];
  generatorHidden: number[];
  /** hypernet 'set': width of the attention's queries and keys. */
  attentionDim: number;
  /**
   * hypernet ('set'): order of the character n-gram language models it writes from each class's
   * support texts, whose per-character log-likelihoods of a query join the generated classifier's
   * logits through learned weights; 0: none. Checkpoints from before it existed read as 0.
   */
  lmOrder: number;
  /**
   * The language models' estimator (core/src/text/char-lm.ts): the floor their interpolation of
   * orders starts from and the Witten–Bell weight. Checkpoints from before these fields existed
   * were trained with the uniform floor and β 0.5, and read as such, so they score as they did.
   */
  lmFloor: CharLmFloor;
  lmBeta: number;
  /**
   * Weight of the language bank in every class's language model (0: none): a mixture of the
   * models of training languages, fitted to the class's support text, is mixed in
   * (core/src/text/language-bank.ts, CharLmPrior): the `lmBankNeighbours` training languages
   * nearest to the support text are the candidates, and the `lmBankKeep` heaviest of their fitted
   * shares are kept. The bank is built from the training languages' text, which the checkpoint
   * names in `lmBankLanguages`, and attached before use (LanguageModel.attachBank). Without
   * language models (lmOrder 0) there is nothing to mix it into and it is not used. Checkpoints
   * from before it existed read as 0.
   */
  lmBank: number;
  lmBankNeighbours: number;
  lmBankKeep: number;
  /**
   * Order of the bank models the shares are fitted with (lmOrder where that is lower). Order 3 scored as the
   * models' own order 5 on the calibration languages (+0.02 at 20-way, +0.09 on confusable
   * episodes, both within noise) at 3/5 of the lookups. Checkpoints from before it existed read
   * as their lmOrder, so they score as they did.
   */
  lmBankFitOrder: number;
  /** The labels of the bank's languages, set from the training corpus (empty without a bank). */
  lmBankLanguages: string[];
  /**
   * hypernet with language models: share of training episodes drawn from the calibration
   * languages (every fifth training language, which the encoder never learns from); on those
   * episodes only the weights that mix the language models and the embedding head learn, so the
   * mix is set on languages the encoder does not know, as every held-out language is. 0: no
   * calibration languages (everything learns from every episode). Older checkpoints read as 0.
   */
  calibrationShare: number;
  /** hypernet: weight of the auxiliary prototype-classifier loss on the same embeddings. */
  protoLoss: number;
  /** hypernet (on the generated head) and maml: gradient steps on the support set. */
  innerSteps: number;
  innerLr: number;
  /** finetune: classes of the pre-training head (set from the data) and the head fit at test time. */
  pretrainClasses: number;
  headSteps: number;
  headLr: number;
  /**
   * Training episodes: classes per episode, characters per query and per support example (0: whole
   * paragraphs), share of confusable episodes.
   */
  trainWays: number;
  snippet: number;
  supportSnippet: number;
  confusableShare: number;
}

export function defaultLanguageConfig(method: LanguageMethod = 'hypernet'): LanguageConfig {
  return {
    task: LANGUAGE,
    method,
    encoder: {
      // 99 % of the held-out UDHR paragraphs have at most 512 code points; a longer one is cut.
      maxChars: 512,
      orders: [1, 2, 3, 4],
      buckets: 16_384,
      gramDim: 128,
      byteDim: 32,
      convWidth: 5,
      // The byte convolution more than doubles a training step's time on wasm: off unless asked for.
      convFilters: 0,
      hidden: [256],
      width: 128,
      normalize: true,
      sketch: 1024,
    },
    generator: 'set',
    generatorHidden: [128],
    attentionDim: 64,
    lmOrder: method === 'hypernet' ? 5 : 0,
    lmFloor: 'pooled',
    lmBeta: 1,
    lmBank: method === 'hypernet' ? 0.4 : 0,
    lmBankNeighbours: 10,
    lmBankKeep: 5,
    lmBankFitOrder: 3,
    lmBankLanguages: [],
    calibrationShare: method === 'hypernet' ? 0.2 : 0,
    protoLoss: method === 'hypernet' ? 1 : 0,
    innerSteps: method === 'maml' ? 2 : 0,
    innerLr: method === 'maml' ? 0.4 : 0.1,
    pretrainClasses: 1,
    headSteps: 100,
    headLr: 0.1,
    trainWays: 20,
    snippet: 30,
    // The reference protocol: a whole paragraph of support per language, 30-character queries.
    supportSnippet: 0,
    confusableShare: 0.5,
  };
}

/** The options of the character language models a config's hypernet writes (order 0: none). */
export function charLmOptionsOf(c: LanguageConfig): CharLmOptions {
  return { order: c.lmOrder, floor: c.lmFloor, beta: c.lmBeta };
}

/** Checks every field (an untrusted checkpoint's included) and returns the config. */
export function validateLanguageConfig(c: LanguageConfig): LanguageConfig {
  if (c?.task !== LANGUAGE)
    throw new InvalidArgumentError(`not a ${LANGUAGE} config (task ${JSON.stringify(c?.task)})`);
  checkOneOf('method', c.method, LANGUAGE_METHODS);
  if (typeof c.encoder !== 'object' || c.encoder === null)
    throw new InvalidArgumentError('encoder must be an object');
  validateTextEncoder(c.encoder);
  checkOneOf('generator', c.generator, LANGUAGE_GENERATORS);
  checkPositiveInts('generatorHidden', c.generatorHidden, 0, 65_536);
  checkInt('attentionDim', c.attentionDim, 1, 4096);
  const before = c.lmFloor === undefined;
  c = {
    ...c,
    lmOrder: c.lmOrder ?? 0,
    lmFloor: c.lmFloor ?? 'uniform',
    lmBeta: c.lmBeta ?? (before ? 0.5 : 1),
    lmBank: c.lmBank ?? 0,
    lmBankNeighbours: c.lmBankNeighbours ?? 10,
    lmBankKeep: c.lmBankKeep ?? 5,
    lmBankFitOrder: c.lmBankFitOrder ?? c.lmOrder ?? 0,
    lmBankLanguages: c.lmBankLanguages ?? [],
    calibrationShare: c.calibrationShare ?? 0,
  };
  checkInt('lmOrder', c.lmOrder, 0, 16);
  checkOneOf('lmFloor', c.lmFloor, CHAR_LM_FLOORS);
  checkPositive('lmBeta', c.lmBeta);
  checkNonNegative('lmBank', c.lmBank);
  if (c.lmBank >= 1) throw new InvalidArgumentError(`lmBank must be from 0 to below 1, got ${c.lmBank}`);
  checkInt('lmBankNeighbours', c.lmBankNeighbours, 1, 1000);
  checkInt('lmBankKeep', c.lmBankKeep, 1, 1000);
  checkInt('lmBankFitOrder', c.lmBankFitOrder, c.lmBank > 0 && c.lmOrder > 0 ? 1 : 0, 16);
  if (!Array.isArray(c.lmBankLanguages) || !c.lmBankLanguages.every((l) => typeof l === 'string'))
    throw new InvalidArgumentError('lmBankLanguages must be a list of language labels');
  if (c.lmOrder > 0 && (c.method !== 'hypernet' || c.generator !== 'set'))
    throw new InvalidArgumentError('n-gram language models (lmOrder) are written by the set hypernet only');
  checkNonNegative('calibrationShare', c.calibrationShare);
  if (c.calibrationShare >= 1)
    throw new InvalidArgumentError(`calibrationShare must be from 0 to below 1, got ${c.calibrationShare}`);
  if (c.calibrationShare > 0 && c.lmOrder === 0)
    throw new InvalidArgumentError(
      'calibration languages set the mix of language models and embeddings: they need lmOrder > 0',
    );
  checkNonNegative('protoLoss', c.protoLoss);
  if (c.protoLoss && c.method !== 'hypernet')
    throw new InvalidArgumentError(`the auxiliary prototype loss is a hypernet option, not ${c.method}'s`);
  checkInt('innerSteps', c.innerSteps, 0, 1000);
  checkPositive('innerLr', c.innerLr);
  if (c.method === 'maml' && c.innerSteps < 1) throw new InvalidArgumentError('maml needs inner steps ≥ 1');
  checkInt('pretrainClasses', c.pretrainClasses, 1, 1_000_000);
  checkInt('headSteps', c.headSteps, 1, 100_000);
  checkPositive('headLr', c.headLr);
  checkInt('trainWays', c.trainWays, 2, 10_000);
  checkInt('snippet', c.snippet, 0, 100_000);
  checkInt('supportSnippet', c.supportSnippet, 0, 100_000);
  checkNonNegative('confusableShare', c.confusableShare);
  if (c.confusableShare > 1)
    throw new InvalidArgumentError(`confusableShare must be from 0 to 1, got ${c.confusableShare}`);
  return c;
}
