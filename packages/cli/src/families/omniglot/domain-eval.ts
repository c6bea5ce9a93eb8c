import {
  disposeEpisode,
  episodeAccuracy,
  episodeTensors,
  type FewShotModel,
  type ImageSet,
  InvalidArgumentError,
  meanCi95,
  Rng,
  sampleDomainEpisode,
} from '@hypermeta/core';

/** How a checkpoint is evaluated on a domain: fixed or 'variable' (Meta-Dataset's protocol) ways and shots. */
export interface DomainEvalOptions {
  domain: string;
  ways: number | 'variable';
  shots: number | 'variable';
  /** Query images per class; default Meta-Dataset's balanced rule (up to 10, at most half the smallest class). */
  queries?: number;
  episodes: number;
  seed: number;
  /** Each episode's classes from one group (alphabet, script). */
  withinGroup: boolean;
}

export interface DomainEvalResult {
  domain: string;
  ways: number | 'variable';
  shots: number | 'variable';
  episodes: number;
  accuracy: number;
  ci95: number;
  /** Averages over the episodes: classes, support images and query images per class. */
  meanWays: number;
  meanSupport: number;
  meanQueries: number;
  msPerEpisode: number;
}

/** Refuses before sampling what the domain cannot give: more ways than it has classes. */
export function checkDomainEpisodes(set: ImageSet, o: DomainEvalOptions): void {
  if (typeof o.ways === 'number' && o.ways > set.classes.length)
    throw new InvalidArgumentError(
      `--ways ${o.ways} exceeds the ${set.classes.length} classes of domain ${o.domain}`,
    );
}

/** Mean accuracy and its 95% interval over episodes sampled from `set`; the seed fixes every episode. */
export function evaluateOnDomain(model: FewShotModel, set: ImageSet, o: DomainEvalOptions): DomainEvalResult {
  checkDomainEpisodes(set, o);
  const rng = Rng.fromSeed(o.seed, `domain-eval:${o.domain}`);
  const accs: number[] = [];
  let ways = 0;
  let support = 0;
  let queries = 0;
  let ms = 0;
  for (let i = 0; i < o.episodes; i++) {
    const e = sampleDomainEpisode(set, {
      ways: o.ways,
      shots: o.shots,
      queries: o.queries,
      rng,
      withinGroup: o.withinGroup,
    });
    ways += e.ways;
    support += e.supportLabels.length;
    queries += e.queries;
    const t = episodeTensors(e);
    try {
      const t0 = performance.now();
      accs.push(episodeAccuracy(model, t));
      ms += performance.now() - t0;
    } finally {
      disposeEpisode(t);
    }
  }
  const { mean, ci95 } = meanCi95(accs);
  const n = o.episodes;
  return {
    domain: o.domain,
    ways: o.ways,
    shots: o.shots,
    episodes: n,
    accuracy: mean,
    ci95,
    meanWays: ways / n,
    meanSupport: support / n,
    meanQueries: queries / n,
    msPerEpisode: ms / n,
  };
}
