import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Option } from 'commander';
import {
  type AlphabetSplit,
  classesByAlphabet,
  DataError,
  type FewShotEvalOptions,
  FewShotModel,
  InvalidArgumentError,
  type OmniglotConfig,
  pretrainClassCount,
  variantCount,
} from '@hypermeta/core';
import { loadOmniglotSplit } from '../../data/omniglot-split.js';
import { countOrVariable, intArg, numArg } from '../../options.js';
import type { CliFamily, Flags } from '../cli-family.js';
import { adaptOmniglot } from './adapt-images.js';
import { omniglotBench } from './bench/index.js';
import { evalFolders } from './eval-folders.js';
import { domainEvalFlags, domainTrainFlags } from './domain-flags.js';
import {
  checkTrainingDomains,
  type DomainSplit,
  domainsFlag,
  evalOnDomain,
  loadTrainingDomains,
  trainDomainsOf,
} from './domains.js';

const dataFlags = () => [
  new Option(
    '--data-dir <dir>',
    'folder with the Omniglot zips or extracted folders (eval: default the one training used)',
  ),
  new Option('--cache-dir <dir>', 'where decoded images are cached (default ~/.cache/hypermeta)'),
];

const trainFlags = () => [
  ...dataFlags(),
  new Option('--ways <n>', 'classes per training episode (default 40; maml 20)').argParser(intArg(2, 10_000)),
  new Option('--rotations', 'rotations by 90°, 180°, 270° count as new classes (default on)'),
  new Option('--no-rotations', 'train without the rotation augmentation'),
  new Option('--reflections', 'mirror images of characters count as new classes too (default on)'),
  new Option('--no-reflections', 'no mirror-image classes'),
  new Option('--within-alphabet', "draw each episode's classes from one alphabet (default: across all)"),
  new Option('--augment', 'distort training images with small random affine maps (default on)'),
  new Option('--no-augment', 'train on the images as they are'),
  new Option(
    '--stroke-jitter <x>',
    'with augmentation, also thicken or thin strokes at random, up to x of a 3×3 dilation or erosion (0–1; default 0)',
  ).argParser(numArg(0, 1, false)),
  new Option(
    '--modulation',
    'hypernet: also generate a per-channel scale and shift of every backbone layer from the support set (FiLM; default off)',
  ),
  new Option('--no-modulation', 'hypernet: generate the classifier only (the default)'),
  new Option(
    '--proto-loss <w>',
    'hypernet: weight of an auxiliary prototype-classifier loss on the same embeddings (default 3; 0 turns it off)',
  ).argParser(numArg(0, 100, false)),
  new Option(
    '--filters <n>',
    "conv4 width (default 64; generated: the generator's feature extractor, 32)",
  ).argParser(intArg(1, 1024)),
  new Option(
    '--task-filters <n>',
    'generated: width of the task network written in full from the support set (default 8)',
  ).argParser(intArg(1, 1024)),
  new Option('--held-out <n>', 'alphabets held out for evaluation, the last by name (default 2)').argParser(
    intArg(1, 1000),
  ),
  new Option(
    '--inner-steps <n>',
    "gradient steps on the support set: after generation (sinusoid: default 0 with encoder, 5 otherwise; omniglot hypernet: on the head, default 0) or maml's (default 3)",
  ).argParser(intArg(0, 1000)),
  new Option('--inner-lr <x>', 'inner-loop step size').argParser(numArg(0)),
  ...domainTrainFlags(),
];

const evalFlags = () => [
  ...dataFlags(),
  new Option('--episodes <n>', 'episodes sampled from the held-out alphabets (default 600)').argParser(
    intArg(1, 1_000_000),
  ),
  new Option(
    '--ways <n>',
    'classes per episode (default 5), or variable (with --domain: 5 to 50 as in Meta-Dataset)',
  ).argParser(countOrVariable(2, 10_000)),
  new Option(
    '--within-alphabet',
    "draw each episode's classes from one held-out alphabet (default: across them)",
  ),
  new Option(
    '--episodes-dir <dir>',
    'evaluate your own episode folders (support/<label>/…, query/<label>/…) instead',
  ),
  ...domainEvalFlags(),
];

/** Flag name → model config field, for the flags that set one directly. */
const MODEL_FIELDS: [string, keyof OmniglotConfig][] = [
  ['ways', 'trainWays'],
  ['rotations', 'rotations'],
  ['augment', 'augment'],
  ['strokeJitter', 'strokeJitter'],
  ['reflections', 'reflections'],
  ['withinAlphabet', 'withinAlphabet'],
  ['modulation', 'modulation'],
  ['protoLoss', 'protoLoss'],
  ['filters', 'filters'],
  ['taskFilters', 'taskFilters'],
  ['heldOut', 'heldOutAlphabets'],
  ['innerSteps', 'innerSteps'],
  ['innerLr', 'innerLr'],
];

/** The data folder: the flag, else the one training used (stored absolute). */
function dataDirOf(config: OmniglotConfig, f: Flags): string {
  if (f.dataDir !== undefined) return f.dataDir as string;
  const saved = config.dataDir;
  if (!saved)
    throw new InvalidArgumentError(
      'omniglot needs --data-dir DIR (a folder with the Omniglot zips or extracted folders)',
    );
  // Runs store the folder resolved at training time; a relative one (from older runs) would be
  // read against whatever the working directory is now, so it is never used on its own.
  if (!isAbsolute(saved))
    throw new InvalidArgumentError(
      `the run stores its data folder as a relative path (${saved}): pass --data-dir DIR`,
    );
  if (!existsSync(saved))
    throw new DataError(
      `the data folder this run was trained on, ${saved}, is gone: pass --data-dir DIR to point elsewhere`,
    );
  return saved;
}

/** Omniglot on the command line: images from the data folder (cached), episode folders, image adapt. */
export const omniglotCli: CliFamily<AlphabetSplit> = {
  name: 'omniglot',
  variableShots: true,
  flags: { train: trainFlags, eval: evalFlags },
  applyModelFlags(config, f) {
    const m = config as unknown as Record<string, unknown>;
    for (const [flag, field] of MODEL_FIELDS) if (f[flag] !== undefined) m[field] = f[flag];
    if (f.dataDir !== undefined) m.dataDir = resolve(f.dataDir as string);
    if (f.domains !== undefined) m.domains = domainsFlag(f.domains as string);
  },
  loadData: (config, f) =>
    trainDomainsOf(config as OmniglotConfig)
      ? loadTrainingDomains(config as OmniglotConfig, f, () => dataDirOf(config as OmniglotConfig, f))
      : loadOmniglotSplit(
          dataDirOf(config as OmniglotConfig, f),
          (config as OmniglotConfig).heldOutAlphabets,
          f.cacheDir as string | undefined,
        ),
  fitToData(config, train, split) {
    const m = config as OmniglotConfig;
    checkTrainingDomains(m, train.shotsMax + train.queries, split as DomainSplit);
    m.pretrainClasses = pretrainClassCount(split.train, m.rotations, m.reflections);
    const fewest = Math.min(...split.train.classes.map((c) => c.images.length));
    if (m.method !== 'finetune' && train.shotsMax + train.queries > fewest) {
      throw new InvalidArgumentError(
        `shots (${train.shotsMax}) + queries (${train.queries}) exceed the ${fewest} images the smallest training class has`,
      );
    }
    const variants = variantCount(m.rotations, m.reflections);
    if (m.trainWays > split.train.classes.length * variants) {
      throw new InvalidArgumentError(
        `--ways ${m.trainWays} exceeds the ${split.train.classes.length} training characters`,
      );
    }
    if (m.withinAlphabet) {
      const largest = Math.max(...[...classesByAlphabet(split.train).values()].map((c) => c.length));
      if (m.trainWays > largest * variants)
        throw new InvalidArgumentError(
          `--ways ${m.trainWays} exceeds the ${largest * variants} classes of the largest training alphabet (--within-alphabet)`,
        );
    }
  },
  describe: (model, split) =>
    (split as DomainSplit).trainDomains
      ? `${model.config.method} on ${(split as DomainSplit).trainDomains!.map((d) => d.name).join(', ')} (${split.train.classes.length} training classes, each episode from one domain)`
      : `${model.config.method} on Omniglot (${split.train.classes.length} training characters; held out: ${split.testAlphabets.join(', ')})`,
  evalOptions: (_model, f, seed): FewShotEvalOptions => {
    if (f.ways === 'variable' || f.variableShots || f.shots === 'variable')
      throw new InvalidArgumentError('--ways variable and --shots variable need --domain NAME');
    return {
      episodes: (f.episodes as number | undefined) ?? 600,
      ways: (f.ways as number | undefined) ?? 5,
      shots: (f.shots as number | undefined) ?? 1,
      queries: (f.queries as number | undefined) ?? 5,
      seed,
      withinAlphabet: f.withinAlphabet === true,
    };
  },
  async evalOwnData(model, f, seed) {
    if (f.domain !== undefined) {
      if (f.episodesDir) throw new InvalidArgumentError('give --domain or --episodes-dir, not both');
      const config = model.config as OmniglotConfig;
      return evalOnDomain(model as FewShotModel, f, seed ?? 1, () => dataDirOf(config, f));
    }
    if (!f.episodesDir) return undefined;
    const r = await evalFolders(model as FewShotModel, f.episodesDir as string);
    return {
      metric: 'accuracy',
      value: r.accuracy,
      ci95: r.ci95,
      higherIsBetter: true,
      figures: { source: f.episodesDir, episodes: r.episodes, perEpisode: r.perEpisode },
    };
  },
  evalFields: (split) => ({ alphabets: split.testAlphabets }),
  formatEval(r, f, { backend, method }) {
    const x = r.figures as { episodes: number; ways: number; shots: number; domain?: string };
    const what = f.domain
      ? `domain ${x.domain}: ${x.episodes} episodes, ${x.ways}-way ${x.shots}-shot`
      : f.episodesDir
        ? `${x.episodes} episode folder(s)`
        : `${x.episodes} episodes, ${x.ways}-way ${x.shots}-shot${f.withinAlphabet ? ' within one alphabet' : ''}`;
    return `${what}: accuracy ${(100 * r.value).toFixed(2)}% ± ${(100 * r.ci95).toFixed(2)} (95% CI), ${method}, backend ${backend}`;
  },
  async adapt(model, req) {
    if (!req.query)
      throw new InvalidArgumentError(
        'adapting an image classifier needs --query DIR (a folder of images to label)',
      );
    return adaptOmniglot(model as FewShotModel, req.support, req.query, req.out, req.exportNetwork);
  },
  bench: omniglotBench,
};
