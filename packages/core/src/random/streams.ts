import { Rng } from './rng.js';

/**
 * The random streams of a run, all derived from its seed. The evaluation stream is the training
 * task stream jumped 2^64 draws ahead: for the same seed the two never share a task.
 */
export function taskStreams(seed: number): { train: Rng; eval: Rng; noise: Rng; pool: Rng } {
  const train = Rng.fromSeed(seed, 'tasks');
  return {
    train,
    eval: train.jumped(),
    noise: Rng.fromSeed(seed, 'noise'),
    pool: Rng.fromSeed(seed, 'pool'),
  };
}
