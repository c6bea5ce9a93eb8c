import { resolve } from 'node:path';
import {
  type AlphabetSplit,
  alphabetsOf,
  concatDomains,
  type EvalSummary,
  type FewShotModel,
  type ImageDomain,
  InvalidArgumentError,
  type OmniglotConfig,
  variantCount,
} from '@hypermeta/core';
import { defaultCacheDir } from '../../data/omniglot-split.js';
import {
  type DomainContext,
  type DomainSpec,
  loadDomain,
  type LoadedDomain,
  parseDomain,
  parseDomainList,
} from '../../data/domains/index.js';
import type { Flags } from '../cli-family.js';
import { evaluateOnDomain } from './domain-eval.js';

/** Training data drawn from several domains: `train` holds them all, `trainDomains` each. */
export type DomainSplit = AlphabetSplit & { trainDomains?: ImageDomain[] };

/** The model config's record of --domains (folders made absolute, so eval and resume find them). */
type WithDomains = OmniglotConfig & { domains?: string[] };

/** --domains → the labels stored in the model config; a bad name is refused before anything loads. */
export function domainsFlag(text: string): string[] {
  return parseDomainList(text).map((s) =>
    s.path === undefined ? s.label : `${s.loader.name}:${resolve(s.path)}`,
  );
}

export function trainDomainsOf(config: OmniglotConfig): string[] | undefined {
  return (config as WithDomains).domains;
}

function context(
  config: OmniglotConfig,
  f: Flags,
  omniglotDir: () => string,
  specs: DomainSpec[],
): DomainContext {
  return {
    cacheDir: (f.cacheDir as string | undefined) ?? defaultCacheDir(),
    size: config.imageSize,
    omniglotDir: specs.some((s) => s.loader.name === 'omniglot') ? omniglotDir() : undefined,
    heldOut: config.heldOutAlphabets,
    log: (line) => process.stderr.write(line + '\n'),
  };
}

/** The periodic evaluation's set: Omniglot's held-out alphabets, else the first domain that allows 5-way 1-shot 5-query episodes. */
function monitorSet(loaded: (LoadedDomain & { loader: string })[]): LoadedDomain {
  const found =
    loaded.find((d) => d.loader === 'omniglot') ??
    loaded.find((d) => d.test.classes.filter((c) => c.images.length >= 6).length >= 5);
  if (!found)
    throw new InvalidArgumentError(
      'no listed domain has 5 classes of 6 images for the evaluation at each checkpoint: add omniglot or mnist to --domains',
    );
  return found;
}

/** Loads the training domains; each must allow the configured episodes (ways counting variants, shots + queries). */
export async function loadTrainingDomains(
  config: OmniglotConfig,
  f: Flags,
  omniglotDir: () => string,
): Promise<DomainSplit> {
  const specs = trainDomainsOf(config)!.map(parseDomain);
  const ctx = context(config, f, omniglotDir, specs);
  const loaded: (LoadedDomain & { loader: string })[] = [];
  for (const s of specs) loaded.push({ ...(await loadDomain(s, ctx)), loader: s.loader.name });
  const domains = loaded.map((d) => ({ name: d.label, set: d.train, withinGroup: d.withinGroup }));
  const train = concatDomains(domains);
  const test = monitorSet(loaded).test;
  return {
    train,
    test,
    trainAlphabets: alphabetsOf(train),
    testAlphabets: alphabetsOf(test),
    trainDomains: domains,
  };
}

/** Each training domain can give the configured episodes: enough classes (with variants) of enough images. */
export function checkTrainingDomains(config: OmniglotConfig, perClass: number, split: DomainSplit): void {
  const variants = variantCount(config.rotations, config.reflections);
  for (const d of split.trainDomains ?? []) {
    const usable = d.set.classes.filter((c) => c.images.length >= perClass).length * variants;
    if (config.method !== 'finetune' && usable < config.trainWays)
      throw new InvalidArgumentError(
        `domain ${d.name} has ${usable} classes (counting variants) with ${perClass} images, fewer than --ways ${config.trainWays}`,
      );
  }
}

/** `eval --domain NAME`: the checkpoint on a registered domain's evaluation classes. */
export async function evalOnDomain(
  model: FewShotModel,
  f: Flags,
  seed: number,
  omniglotDir: () => string,
): Promise<EvalSummary> {
  const spec = parseDomain(f.domain as string);
  const config = model.config as OmniglotConfig;
  const d = await loadDomain(spec, context(config, f, omniglotDir, [spec]));
  const ways = (f.ways as number | 'variable' | undefined) ?? 5;
  const variableShots =
    f.variableShots === true || f.shots === 'variable' || (ways === 'variable' && f.shots === undefined);
  if (f.variableShots === true && typeof f.shots === 'number')
    throw new InvalidArgumentError('give --shots K or --variable-shots, not both');
  const r = evaluateOnDomain(model, d.test, {
    domain: spec.label,
    ways,
    shots: variableShots ? 'variable' : ((f.shots as number | undefined) ?? 1),
    queries: f.queries as number | undefined,
    episodes: (f.episodes as number | undefined) ?? 600,
    seed,
    // Meta-Dataset draws a hierarchical domain's variable episodes from one group; fixed ones span groups.
    withinGroup: f.withinAlphabet === true || (ways === 'variable' && d.withinGroup),
  });
  const { accuracy, ci95, ...figures } = r;
  return {
    metric: 'accuracy',
    value: accuracy,
    ci95,
    higherIsBetter: true,
    figures: { ...figures, loadMs: Math.round(d.ms) },
  };
}
