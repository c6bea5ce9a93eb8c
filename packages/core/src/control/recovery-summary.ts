import { meanCi95 } from '../eval/stats.js';
import { InvalidArgumentError } from '../errors/errors.js';

/**
 * One episode's recovery as JSON holds it: seconds, 'never' (still below at the end), or null
 * (nothing to recover).
 */
export type EpisodeRecovery = number | 'never' | null;

/** Recovery over a set of episodes (each from `recoverySeconds`). */
export interface RecoverySummary {
  /**
   * Median over the episodes with something to recover, an unrecovered one counting as never (the
   * lower median: with an even count the smaller middle value, so it is always one episode's time);
   * null when it is never or no episode had anything to recover.
   */
  recoverySeconds: number | null;
  /** Mean over the recovered episodes only (null if none): read it beside `recovered`. */
  recoveryMeanSeconds: number | null;
  /** 95 % half-width of that mean (normal approximation; 0 for one episode). */
  recoveryCi95: number | null;
  /** Episodes that came back, and episodes that had something to recover. */
  recovered: number;
  recoveryEpisodes: number;
  /** Every episode's value, in episode order. */
  recoveryPerEpisode: EpisodeRecovery[];
}

/** Summarises per-episode recovery times (null: nothing to recover; Infinity: never recovered). */
export function summarizeRecovery(perEpisode: readonly (number | null)[]): RecoverySummary {
  for (const r of perEpisode)
    if (r !== null && !(r >= 0))
      throw new InvalidArgumentError(`recovery: ${r} is not a time (seconds ≥ 0 or Infinity)`);
  const judged = perEpisode.filter((r): r is number => r !== null).sort((a, b) => a - b);
  const finite = judged.filter(Number.isFinite);
  const median = judged.length ? judged[Math.floor((judged.length - 1) / 2)] : null;
  const stats = finite.length ? meanCi95(finite) : null;
  return {
    recoverySeconds: median !== null && Number.isFinite(median) ? median : null,
    recoveryMeanSeconds: stats ? stats.mean : null,
    recoveryCi95: stats ? stats.ci95 : null,
    recovered: finite.length,
    recoveryEpisodes: judged.length,
    recoveryPerEpisode: perEpisode.map((r) => (r === null ? null : Number.isFinite(r) ? r : 'never')),
  };
}

/** The per-step mean of equal-length reward traces (one per episode). */
export function meanRewardTrace(traces: readonly ArrayLike<number>[]): number[] {
  if (traces.length === 0) return [];
  const L = traces[0].length;
  if (traces.some((t) => t.length !== L))
    throw new InvalidArgumentError('reward traces: every episode must have the same number of steps');
  return Array.from({ length: L }, (_, t) => traces.reduce((a, r) => a + r[t], 0) / traces.length);
}

/**
 * The moving average over `window` steps starting at each step (the average recovery is judged
 * by), for the steps where a whole window fits: L − window + 1 values.
 */
export function forwardMovingAverage(values: ArrayLike<number>, window: number): number[] {
  if (!Number.isInteger(window) || window < 1)
    throw new InvalidArgumentError(`moving average: window ${window} is not a positive whole number`);
  const out: number[] = [];
  let sum = 0;
  for (let t = 0; t < values.length; t++) {
    sum += values[t];
    if (t >= window) sum -= values[t - window];
    if (t >= window - 1) out.push(sum / window);
  }
  return out;
}
