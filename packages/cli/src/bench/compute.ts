import { median, Rng, tf } from '@hypermeta/core';
import { conv4Flops, PlainConv4 } from './conv4-plain.js';
import { timeMs } from './timing.js';

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

/** GFLOP/s of an n×n×n matMul on the active backend, best of 3 after a warm-up. */
export function matMulGflops(n: number): number {
  const rng = Rng.fromSeed(1, 'bench-mm');
  const a = tf.tensor2d(rng.fill(n * n, (r) => r.normal()), [n, n]);
  const best = Math.min(
    ...Array.from({ length: 4 }, () => timeMs(() => {
      const c = tf.matMul(a, a);
      c.dataSync();
      c.dispose();
    })).slice(1),
  );
  a.dispose();
  return (2 * n ** 3) / (best * 1e6);
}

/** One forward + backward of conv4 over a 20-way episode's images (the meta-step's compute core). */
export function conv4Step(o: { ways: number; queriesPerClass: number; reps: number; seed: number }): { stepMs: number; images: number; gflop: number } {
  const net = new PlainConv4(o.ways, o.seed);
  const rng = Rng.fromSeed(o.seed, 'bench-images');
  const episode = (n: number) => ({
    x: tf.tensor4d(rng.fill(n * 28 * 28, (r) => (r.uniform() < 0.2 ? 1 : 0)), [n, 28, 28, 1]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % o.ways), 'int32'), o.ways), 'float32')) as tf.Tensor2D,
  });
  const run = (e: { x: tf.Tensor4D; y: tf.Tensor2D }) => timeMs(() => {
    const { value, grads } = tf.variableGrads(() => net.loss(e.x, e.y), net.vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
  const images = o.ways * (1 + o.queriesPerClass);
  const warm = episode(o.ways); // a small warm-up: the code paths, without a full step's cost
  run(warm);
  const full = episode(images);
  const times = Array.from({ length: o.reps }, () => run(full));
  tf.dispose([warm.x, warm.y, full.x, full.y]);
  net.dispose();
  return { stepMs: median(times), images, gflop: conv4Flops(images, o.ways) / 1e9 };
}

export function computeEfficiency(backend: string, o: { ways: number; queriesPerClass: number; reps: number; matmulSize: number; seed: number }): ComputeResult {
  const step = conv4Step(o);
  const peak = matMulGflops(o.matmulSize);
  const achieved = step.gflop / (step.stepMs / 1000);
  return {
    backend,
    images: step.images,
    ways: o.ways,
    stepMs: step.stepMs,
    stepGflop: step.gflop,
    achievedGflops: achieved,
    matmulSize: o.matmulSize,
    matMulGflops: peak,
    fractionOfPeak: achieved / peak,
  };
}
