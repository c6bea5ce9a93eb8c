import { DataError } from '../../errors/errors.js';
import type { Rng } from '../../random/rng.js';
import { randomActions } from './actions.js';
import type { DynamicsEnvInfo, DynamicsSimulator, SimEpisode, Variation } from './physics.js';
import { sampleVariation, type VariationSettings } from './variations.js';

/** Recorded episodes of one variation. */
export interface VariationRecord {
  variation: Variation;
  episodes: SimEpisode[];
}

/** A collected set of variations, and how many drawn ones were skipped as unstable. */
export interface VariationSet {
  records: VariationRecord[];
  skipped: number;
  /** The first few reasons, for messages. */
  reasons: string[];
}

export interface CollectOptions {
  variations: number;
  episodes: number;
  length: number;
  settings: VariationSettings;
  /** Draw exponents outside the training range. */
  outside: boolean;
}

/** States beyond this magnitude mean the integration has blown up even without a NaN. */
const STATE_LIMIT = 1e5;

/** The start offset: a full turn for free-swinging hinges, small noise elsewhere. */
function startOffset(info: DynamicsEnvInfo, rng: Rng): Float64Array {
  const out = new Float64Array(info.nq + info.nv);
  const spin = new Set(info.spinQpos);
  for (let i = 0; i < info.nq; i++) out[i] = spin.has(i) ? rng.range(-Math.PI, Math.PI) : 0.05 * rng.normal();
  for (let i = 0; i < info.nv; i++) out[info.nq + i] = 0.1 * rng.normal();
  return out;
}

/** Why `states` cannot be trusted (NaN, infinite, blown up), or undefined when they can. */
export function unstable(states: Float32Array): string | undefined {
  for (let i = 0; i < states.length; i++) {
    const v = states[i];
    if (!Number.isFinite(v)) return 'the state became NaN or infinite';
    if (Math.abs(v) > STATE_LIMIT) return `a state value exceeded ${STATE_LIMIT}`;
  }
  return undefined;
}

/**
 * Simulates `variations` variations drawn from `rng`, `episodes` episodes of `length` random
 * actions each. A variation whose simulation is unstable (NaN, a blown-up state, or a warning the
 * simulator reports, such as MuJoCo's bad acceleration) is skipped and counted, and another is
 * drawn in its place; only when most draws fail is it an error, since the data would then
 * describe a different range of variations than the one asked for.
 */
export function collectVariations(sim: DynamicsSimulator, o: CollectOptions, rng: Rng): VariationSet {
  const info = sim.info;
  const records: VariationRecord[] = [];
  const reasons: string[] = [];
  let skipped = 0;
  const maxSkipped = Math.max(20, 4 * o.variations);
  while (records.length < o.variations) {
    const variation = sampleVariation(info, o.settings, rng, o.outside);
    const episodes: SimEpisode[] = [];
    let failure: string | undefined;
    for (let e = 0; e < o.episodes && !failure; e++) {
      const offset = startOffset(info, rng);
      const actions = randomActions(o.length, info.ctrlRange, rng);
      const r = sim.rollout(variation, offset, actions);
      failure = r.ok ? unstable(r.states) : r.reason;
      if (r.ok && !failure) episodes.push({ states: r.states, actions });
    }
    if (!failure) {
      records.push({ variation, episodes });
      continue;
    }
    skipped++;
    if (reasons.length < 3) reasons.push(failure);
    if (skipped > maxSkipped)
      throw new DataError(
        `${info.name}: ${skipped} of ${skipped + records.length} variations were unstable (${reasons.join('; ')}): ` +
          'narrow the variation range',
      );
  }
  return { records, skipped, reasons };
}
