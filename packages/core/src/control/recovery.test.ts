import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { recoverySeconds } from './recovery.js';
import { forwardMovingAverage, meanRewardTrace, summarizeRecovery } from './recovery-summary.js';

// The pendulum's timestep: 0.5 s windows are 25 steps, the 1 s level 50.
const dt = 0.02;
const fill = (n: number, v: number) => Array<number>(n).fill(v);

describe('recoverySeconds on synthetic reward traces', () => {
  it('measures the dip after the change at 0.02 s steps', () => {
    // Upright for 4 s, the change at step 200, down for 30 steps (0.6 s), upright again for 3.4 s.
    const r = [...fill(200, 1), ...fill(30, 0), ...fill(170, 1)];
    // The 25-step averages from 230 on are 1; the one from 229 is 24/25 = 0.96 ≥ 0.9, from 227
    // 0.88 < 0.9: back for good at step 228, 28 steps = 0.56 s after the change.
    expect(recoverySeconds(r, 200, { dt })).toBeCloseTo(0.56, 9);
  });

  it('judges against the level of the second before the change, not of the whole first half', () => {
    // Down for the first 3 s, up at 0.5 for the last second: the level is 0.5.
    const r = [...fill(150, 0), ...fill(50, 0.5), ...fill(10, 0), ...fill(190, 0.46)];
    // 0.46 ≥ 0.9 · 0.5 = 0.45, but an average from step t ≤ 209 holds 210 − t of the dip's zeros:
    // even one gives 24 · 0.46 / 25 = 0.44 < 0.45. Back for good at step 210, 0.2 s after the change.
    expect(recoverySeconds(r, 200, { dt })).toBeCloseTo(0.2, 9);
    // The same trace judged against a stricter 95 %: 0.46 < 0.475 never comes back.
    expect(recoverySeconds(r, 200, { dt, fraction: 0.95 })).toBe(Infinity);
  });

  it('is 0 for a reward that stays up and for a drop short enough for the average to forgive', () => {
    expect(recoverySeconds(fill(400, 1), 200, { dt })).toBe(0);
    // Two zero steps: every 25-step average holding them is 23/25 = 0.92 ≥ 0.9.
    const blip = [...fill(200, 1), 0, 0, ...fill(198, 1)];
    expect(recoverySeconds(blip, 200, { dt })).toBe(0);
  });

  it('counts a recovery that only the last window sees as a recovery, a last window below as never', () => {
    // Up again for the last 23 steps: the last average holds 2 zeros (0.92), the one before 3 (0.88).
    const late = [...fill(200, 1), ...fill(177, 0), ...fill(23, 1)];
    expect(recoverySeconds(late, 200, { dt })).toBeCloseTo(3.5, 9);
    // One step fewer up: the last average (0.88) is still below.
    const last = [...fill(200, 1), ...fill(178, 0), ...fill(22, 1)];
    expect(recoverySeconds(last, 200, { dt })).toBe(Infinity);
  });

  it('has nothing to recover from a level of 0, and refuses a change with no window after it', () => {
    expect(recoverySeconds([...fill(200, 0), ...fill(200, 1)], 200, { dt })).toBeNull();
    expect(() => recoverySeconds(fill(210, 1), 200, { dt })).toThrow(InvalidArgumentError);
    expect(() => recoverySeconds(fill(400, 1), 0, { dt })).toThrow(InvalidArgumentError);
    expect(() => recoverySeconds(fill(400, 1), 200, { dt: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('summarizeRecovery', () => {
  it('gives the median (never counts as never), the mean and 95 % half-width of recovered ones, counts', () => {
    const s = summarizeRecovery([0.5, null, 1.5, Infinity, 1.0]);
    expect(s.recoveryEpisodes).toBe(4);
    expect(s.recovered).toBe(3);
    // Sorted judged: 0.5, 1.0, 1.5, ∞ → the lower median is 1.0.
    expect(s.recoverySeconds).toBe(1.0);
    expect(s.recoveryMeanSeconds).toBeCloseTo(1.0, 12);
    // sd 0.5, n 3: 1.96 · 0.5 / √3.
    expect(s.recoveryCi95).toBeCloseTo((1.96 * 0.5) / Math.sqrt(3), 12);
    expect(s.recoveryPerEpisode).toEqual([0.5, null, 1.5, 'never', 1.0]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('reports a median of never as null, and nothing when no episode had anything to recover', () => {
    const never = summarizeRecovery([Infinity, 2, Infinity]);
    expect(never.recoverySeconds).toBeNull();
    expect(never.recoveryMeanSeconds).toBe(2);
    expect(never.recoveryCi95).toBe(0);
    expect(never.recovered).toBe(1);
    const none = summarizeRecovery([null, null]);
    expect(none).toMatchObject({
      recoverySeconds: null,
      recoveryMeanSeconds: null,
      recoveryCi95: null,
      recovered: 0,
      recoveryEpisodes: 0,
    });
    expect(() => summarizeRecovery([-1])).toThrow(InvalidArgumentError);
    expect(() => summarizeRecovery([NaN])).toThrow(InvalidArgumentError);
  });
});

describe('reward traces', () => {
  it('averages episodes step by step and smooths with the window recovery is judged by', () => {
    expect(
      meanRewardTrace([
        [1, 0, 1],
        [0, 0, 1],
      ]),
    ).toEqual([0.5, 0, 1]);
    expect(meanRewardTrace([])).toEqual([]);
    expect(() => meanRewardTrace([[1], [1, 2]])).toThrow(InvalidArgumentError);
    expect(forwardMovingAverage([1, 2, 3, 4, 5], 2)).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(forwardMovingAverage([1, 2], 3)).toEqual([]);
    expect(() => forwardMovingAverage([1, 2], 0)).toThrow(InvalidArgumentError);
  });

  it('agrees with recoverySeconds: recovered at the step after the last moving average below 90 %', () => {
    const r = [...fill(200, 1), ...fill(30, 0), ...fill(170, 1)];
    const avg = forwardMovingAverage(r.slice(200), 25);
    // (a plain loop: the library target predates Array.prototype.findLastIndex)
    let lastBelow = -1;
    avg.forEach((v, i) => {
      if (v < 0.9) lastBelow = i;
    });
    expect((lastBelow + 1) * dt).toBeCloseTo(recoverySeconds(r, 200, { dt }) as number, 9);
  });
});
