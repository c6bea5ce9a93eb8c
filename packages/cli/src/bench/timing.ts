import { median } from '@hypermeta/core';

/** Wall-clock ms of f. */
export function timeMs(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/**
 * Runs `step` (after `warmup` calls) until both `minCalls` calls and `minMs` milliseconds have
 * passed; returns calls per second. A time floor keeps short steps from being timed by noise.
 */
export function rate(step: () => void, o: { warmup: number; minCalls: number; minMs: number }): number {
  for (let i = 0; i < o.warmup; i++) step();
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (calls < o.minCalls || elapsed < o.minMs) {
    step();
    calls++;
    elapsed = performance.now() - t0;
  }
  return (calls * 1000) / elapsed;
}

/** Median ms over `runs` calls after `warmup` calls. */
export function medianMs(f: (i: number) => void, runs: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) f(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timeMs(() => f(i)));
  return median(times);
}
