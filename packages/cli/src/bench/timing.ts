import { median, Rng, tf } from '@hypermeta/core';

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

/** A square n×n×n matMul on the active backend, timed: its GFLOP/s each call (the practical peak compute is compared with). */
export function matMulProbe(n: number): { gflops(): number; dispose(): void } {
  const a = tf.tensor2d(
    Rng.fromSeed(1, 'bench-mm').fill(n * n, (r) => r.normal()),
    [n, n],
  );
  const gflops = () =>
    (2 * n ** 3) /
    (timeMs(() => {
      const c = tf.matMul(a, a);
      c.dataSync();
      c.dispose();
    }) *
      1e6);
  return { gflops, dispose: () => a.dispose() };
}
