import {
  Adam,
  clipByGlobalNorm,
  type HypernetModel,
  type Rng,
  sampleSinusoidTask,
  sinusoidBatch,
  disposeBatch,
  tf,
  type TrainConfig,
} from '@hypermeta/core';

/**
 * The reference a batched meta-step is measured against: the same model and update, but the T
 * tasks run one at a time (T forward/backward passes with T = 1), their gradients averaged, then
 * one clipped Adam step. Only the benchmark uses it.
 */
export class PerTaskLoop {
  private readonly adam: Adam;

  constructor(
    readonly model: HypernetModel,
    readonly config: TrainConfig,
  ) {
    this.adam = new Adam(model.store.variables);
  }

  step(taskRng: Rng, noiseRng: Rng): void {
    const c = this.config;
    const vars = this.model.store.variables;
    const shots = c.shotsMin + taskRng.int(c.shotsMax - c.shotsMin + 1);
    let sum: tf.Tensor[] = vars.map((v) => tf.zerosLike(v));
    for (let t = 0; t < c.metaBatch; t++) {
      const batch = sinusoidBatch([sampleSinusoidTask(taskRng)], shots, c.queries, taskRng);
      const objective = this.model.objective(batch, noiseRng);
      try {
        const { value, grads } = tf.variableGrads(objective.loss, vars);
        const next = vars.map((v, i) => (grads[v.name] ? tf.add(sum[i], grads[v.name]) : tf.clone(sum[i])));
        tf.dispose([value, ...Object.values(grads), ...sum]);
        sum = next;
      } finally {
        objective.dispose();
        disposeBatch(batch);
      }
    }
    // Mean gradient, clipped and applied exactly as the trainer does; the norm is read back each step too.
    const clipped = tf.tidy(() =>
      clipByGlobalNorm(
        sum.map((g) => tf.div(g, c.metaBatch)),
        c.clipNorm,
      ),
    );
    clipped.norm.dataSync();
    this.adam.applyFlat(clipped.flat, c.lr);
    tf.dispose([...sum, clipped.flat, clipped.norm]);
  }

  dispose(): void {
    this.adam.dispose();
  }
}
