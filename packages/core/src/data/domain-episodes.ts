import { InvalidArgumentError } from '../errors/errors.js';
import type { EpisodeSource, PretrainBatch } from '../fewshot/fewshot-learner.js';
import type { Rng } from '../random/rng.js';
import {
  type Episode,
  type EpisodeClass,
  imageClasses,
  imageWords,
  trainingViewInto,
  variantCount,
} from './episodes.js';
import { imageEpisodeSource, type ImageEpisodeOptions } from './image-episode-source.js';
import { fromClassCounts, imageAt, type ClassCount, type ImageSet } from './image-set.js';
import {
  describeVariableEpisode,
  type VariableEpisodeDescription,
  type VariableLimits,
} from './variable-episode-steps.js';

/**
 * One image domain as core sees it: its name and its classes (images grouped into classes, classes
 * into groups such as alphabets or scripts). Where the pixels came from is the CLI's business.
 */
export interface ImageDomain {
  name: string;
  set: ImageSet;
  /** Meta-Dataset draws Omniglot's episodes from one alphabet at a time; such domains say so. */
  withinGroup?: boolean;
}

/** An episode whose classes may hold different numbers of support images (`classSizes`). */
export type UnevenEpisode = Episode & { classSizes: number[] };

/** How evaluation episodes are drawn from a domain: fixed or 'variable' ways and shots. */
export interface DomainEpisodeOptions {
  ways: number | 'variable';
  shots: number | 'variable';
  /** Fixed query images per class; default Meta-Dataset's balanced rule. */
  queries?: number;
  rng: Rng;
  withinGroup?: boolean;
  limits?: VariableLimits;
}

/** The pixels of a described episode; support class-major with class c's shots[c] images first. */
export function materializeVariableEpisode(set: ImageSet, d: VariableEpisodeDescription): UnevenEpisode {
  const { ways, queries } = d;
  if (d.classes.length !== ways || d.shots.length !== ways)
    throw new InvalidArgumentError(`an episode description of ${ways} ways needs ${ways} classes`);
  const { size } = set;
  const px = size * size;
  const nSupport = d.shots.reduce((a, b) => a + b, 0);
  const support = new Float32Array(nSupport * px);
  const query = new Float32Array(ways * queries * px);
  const supportLabels = new Int32Array(nSupport);
  const queryLabels = new Int32Array(ways * queries);
  const classes: EpisodeClass[] = [];
  let at = 0;
  d.classes.forEach((draw, label) => {
    const cls = set.classes[draw.classIndex];
    const shots = d.shots[label];
    if (draw.items.length !== shots + queries)
      throw new InvalidArgumentError(`class ${label} of the episode needs ${shots + queries} images`);
    draw.items.forEach((item, k) => {
      const isSupport = k < shots;
      const slot = isSupport ? at + k : label * queries + (k - shots);
      const target = (isSupport ? support : query).subarray(slot * px, (slot + 1) * px);
      trainingViewInto(imageAt(set, cls.images[item]), target, size, 0, false);
      (isSupport ? supportLabels : queryLabels)[slot] = label;
    });
    at += shots;
    classes.push({
      classIndex: draw.classIndex,
      rotation: 0,
      mirrored: false,
      name: `${cls.alphabet}/${cls.character}`,
    });
  });
  return {
    ways,
    shots: Math.min(...d.shots),
    queries,
    size,
    support,
    supportShape: [nSupport, size, size, 1],
    supportLabels,
    query,
    queryShape: [ways * queries, size, size, 1],
    queryLabels,
    classes,
    classSizes: [...d.shots],
  };
}

/** One evaluation episode of a domain; the same rng state always gives the same episode. */
export function sampleDomainEpisode(set: ImageSet, o: DomainEpisodeOptions): UnevenEpisode {
  const d = describeVariableEpisode(imageClasses(set), {
    rng: o.rng,
    ways: o.ways,
    shots: o.shots,
    queries: o.queries,
    withinGroup: o.withinGroup,
    limits: o.limits,
    words: imageWords(false, false),
  });
  return materializeVariableEpisode(set, d);
}

/**
 * The sets' classes in one set, in the order given, each group renamed `<domain>/<group>` so that
 * groups of different domains stay apart (a pre-training head then has one output per class of each).
 */
export function concatDomains(domains: readonly ImageDomain[]): ImageSet {
  if (domains.length === 0) throw new InvalidArgumentError('no domain to train on');
  const size = domains[0].set.size;
  const counts: ClassCount[] = [];
  let total = 0;
  for (const d of domains) {
    if (d.set.size !== size)
      throw new InvalidArgumentError(`domain ${d.name} holds ${d.set.size}px images, not ${size}px`);
    total += d.set.pixels.length;
  }
  const pixels = new Float32Array(total);
  let at = 0;
  for (const d of domains) {
    for (const c of d.set.classes) {
      for (const i of c.images) pixels.set(imageAt(d.set, i), at++ * size * size);
      counts.push({ alphabet: `${d.name}/${c.alphabet}`, character: c.character, count: c.images.length });
    }
  }
  return fromClassCounts(size, pixels, counts);
}

/**
 * Training episodes from several domains: each episode's domain is drawn uniformly (as
 * Meta-Dataset's training does), then the episode is drawn within it as from a single set.
 * Pre-training batches draw a domain per image; labels count the classes of the domains in order,
 * as concatDomains lays them out.
 */
export function multiDomainEpisodeSource(
  domains: readonly ImageDomain[],
  o: ImageEpisodeOptions,
): EpisodeSource {
  if (domains.length === 0) throw new InvalidArgumentError('no domain to train on');
  const sources = domains.map((d) => imageEpisodeSource(d.set, o));
  const variants = variantCount(o.rotations, o.reflections);
  const offsets: number[] = [];
  let classes = 0;
  for (const d of domains) {
    offsets.push(classes);
    classes += d.set.classes.length * variants;
  }
  return {
    episode: (shots, queries, rng) => sources[rng.int(sources.length)].episode(shots, queries, rng),
    pretrainBatch: (n, rng) => {
      const per = new Array<number>(domains.length).fill(0);
      for (let i = 0; i < n; i++) per[rng.int(domains.length)]++;
      const parts: PretrainBatch[] = [];
      const owners: number[] = [];
      per.forEach((k, d) => {
        if (k > 0) {
          parts.push(sources[d].pretrainBatch(k, rng));
          owners.push(d);
        }
      });
      return joinBatches(
        parts,
        owners.map((d) => offsets[d]),
        n,
      );
    },
  };
}

function joinBatches(parts: PretrainBatch[], offsets: number[], n: number): PretrainBatch {
  const [, h, w, ch] = parts[0].shape;
  const images = new Float32Array(n * h * w * ch);
  const labels = new Int32Array(n);
  let at = 0;
  parts.forEach((p, k) => {
    images.set(p.images, at * h * w * ch);
    for (let i = 0; i < p.labels.length; i++) labels[at + i] = p.labels[i] + offsets[k];
    at += p.labels.length;
  });
  return { images, shape: [n, h, w, ch], labels };
}
