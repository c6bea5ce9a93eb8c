import { InvalidArgumentError } from '../errors/errors.js';

export interface RecoveryOptions {
  /** Seconds per step. */
  dt: number;
  /** Seconds before the change whose mean reward is the level to return to (default 1). */
  before?: number;
  /** Seconds of the moving average the reward is judged by after the change (default 0.5). */
  window?: number;
  /** Fraction of the pre-change level that counts as recovered (default 0.9: within 10 %). */
  fraction?: number;
}

/**
 * Seconds after a change of dynamics (at step `change`) until the reward is back for good: the
 * pre-change level is the mean per-step reward over the `before` seconds before the change; the
 * reward after it is judged by its moving average over `window` seconds starting at each step
 * t ≥ change (averages that fit in the episode); recovery is at the step after the last average
 * below `fraction` × the level, 0 if none is. Infinity when the last average is still below (it
 * never came back); null when the level is not positive (nothing to recover).
 */
export function recoverySeconds(
  rewards: ArrayLike<number>,
  change: number,
  o: RecoveryOptions,
): number | null {
  const { dt } = o;
  const before = Math.max(1, Math.round((o.before ?? 1) / dt));
  const window = Math.max(1, Math.round((o.window ?? 0.5) / dt));
  const fraction = o.fraction ?? 0.9;
  const L = rewards.length;
  if (!(dt > 0)) throw new InvalidArgumentError('recovery: dt must be positive');
  if (!Number.isInteger(change) || change < 1 || change + window > L)
    throw new InvalidArgumentError(
      `recovery: a change at step ${change} leaves no ${window}-step window in ${L} steps`,
    );
  let level = 0;
  const from = Math.max(0, change - before);
  for (let t = from; t < change; t++) level += rewards[t] / (change - from);
  if (!(level > 0)) return null;
  const threshold = fraction * level;
  let lastBelow = -1;
  let sum = 0;
  for (let t = change; t < change + window; t++) sum += rewards[t];
  for (let t = change; t + window <= L; t++) {
    if (sum / window < threshold - 1e-12) lastBelow = t;
    if (t + window < L) sum += rewards[t + window] - rewards[t];
  }
  if (lastBelow < 0) return 0;
  if (lastBelow === L - window) return Infinity;
  return (lastBelow + 1 - change) * dt;
}
