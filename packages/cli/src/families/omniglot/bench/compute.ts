import { median } from '@hypermeta/core';
import { Conv4MetaStep, randomImages } from './conv4-step.js';
import { matMulProbe, timeMs } from '../../../bench/timing.js';

export interface ComputeResult {
  backend: string;
  /** Images in the episode: ways × (1 support + queriesPerClass). */
  images: number;
  ways: number;
  stepMs: number;
  stepGflop: number;
  achievedGflops: number;
  matmulSize: number;
  matMulGflops: number;
  /** achieved / matMul: the fraction of practical peak. */
  fractionOfPeak: number;
}

/** Untimed full-size steps before the timed ones. */
const WARMUP_STEPS = 3;

/**
 * One forward + backward of the product's Omniglot meta-step over an episode (its compute core):
 * the median of `reps` steps after WARMUP_STEPS untimed steps of the same size. The first step
 * costs ~1.5× a steady one (the heap grows and its fresh pages fault in) and the next few run
 * ~10 % slow while the JIT optimises the kernels' loops; a training run pays this once in
 * thousands of steps. With a small warm-up and a median of 3, the cold step plus one slow step
 * made the median ~500 ms instead of ~380 ms in some processes. `fullWarmup: false` (the cpu
 * backend's 14-second step) warms up on a 2-way episode instead.
 */
export function conv4Step(
  o: { ways: number; queriesPerClass: number; reps: number; seed: number; fullWarmup?: boolean },
  afterEach?: () => void,
): { stepMs: number; times: number[]; images: number; gflop: number } {
  const step = new Conv4MetaStep(o.ways, o.seed);
  const images = o.ways * (1 + o.queriesPerClass);
  const pixels = randomImages(images, o.seed);
  if (o.fullWarmup === false) step.run(pixels.subarray(0, 2 * o.ways * 784), 1);
  else for (let i = 0; i < WARMUP_STEPS; i++) step.run(pixels, o.queriesPerClass);
  const times = Array.from({ length: o.reps }, () => {
    const t = timeMs(() => step.run(pixels, o.queriesPerClass));
    afterEach?.();
    return t;
  });
  const gflop = step.flops(images) / 1e9;
  step.dispose();
  return { stepMs: median(times), times, images, gflop };
}

/**
 * The step's GFLOP/s against a large matMul's, measured in turns (step, matMul, step, …) so both
 * sides of each pair see the same machine: this 2-vCPU host has slow spells of a minute or two
 * in which XNNPACK's own products run 15–20 % slower, and a step measured in one with a peak
 * measured after it read as 48 % once. The fraction is the median of the pairs' fractions.
 */
export function computeEfficiency(
  backend: string,
  o: { ways: number; queriesPerClass: number; reps: number; matmulSize: number; seed: number },
): ComputeResult {
  const probe = matMulProbe(o.matmulSize);
  probe.gflops(); // warm-up
  const peaks: number[] = [];
  const step = conv4Step(o, () => peaks.push(probe.gflops()));
  probe.dispose();
  const fractions = step.times.map((ms, i) => step.gflop / (ms / 1000) / peaks[i]);
  return {
    backend,
    images: step.images,
    ways: o.ways,
    stepMs: step.stepMs,
    stepGflop: step.gflop,
    achievedGflops: step.gflop / (step.stepMs / 1000),
    matmulSize: o.matmulSize,
    matMulGflops: median(peaks),
    fractionOfPeak: median(fractions),
  };
}
