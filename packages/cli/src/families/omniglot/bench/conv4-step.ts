import {
  conv4ForwardFlops,
  defaultOmniglotConfig,
  disposeEpisode,
  episodeTensors,
  FewShotModel,
  Rng,
  tf,
} from '@hypermeta/core';

/**
 * The Omniglot meta-step the product trains: core's FewShotModel (conv4 with support-statistics
 * batch norm, the hypernet classifier head; the backbone modulation where its config has it) on
 * one episode, forward and backward. 64 filters, the literature's width, unless told otherwise.
 */
export class Conv4MetaStep {
  private readonly model: FewShotModel;

  constructor(
    readonly ways: number,
    seed: number,
    readonly filters = 64,
    readonly modulation = defaultOmniglotConfig('hypernet').modulation,
  ) {
    this.model = new FewShotModel({ ...defaultOmniglotConfig('hypernet'), filters, modulation }, seed);
  }

  /**
   * Multiply-add FLOPs of one step over an episode of n images: conv4 forward and backward, plus
   * (with modulation) the forward pass over the support set (one image per class) for the task code.
   */
  flops(n: number): number {
    return conv4Flops(n, this.filters) + (this.modulation ? conv4ForwardFlops(this.filters, this.ways) : 0);
  }

  get vars(): tf.Variable[] {
    return this.model.store.variables;
  }

  /** One step's gradients on an episode of `ways` classes, 1 support and `queries` query images each. */
  run(pixels: Float32Array, queries: number): void {
    const n = this.ways * (1 + queries);
    const ep = episodeTensors({
      ways: this.ways,
      shots: 1,
      support: pixels.subarray(0, this.ways * 784),
      supportShape: [this.ways, 28, 28, 1],
      query: pixels.subarray(this.ways * 784, n * 784),
      queryShape: [n - this.ways, 28, 28, 1],
      queryLabels: Int32Array.from({ length: n - this.ways }, (_, i) => i % this.ways),
    });
    const objective = this.model.episodeObjective(ep);
    const { value, grads } = tf.variableGrads(objective.loss, this.vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    objective.dispose();
    disposeEpisode(ep);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Random binary 28×28 images, n of them, from a seeded stream. */
export function randomImages(n: number, seed: number): Float32Array {
  return Rng.fromSeed(seed, 'bench-images').fill(n * 784, (r) => (r.uniform() < 0.2 ? 1 : 0));
}

/**
 * Multiply-add FLOPs (2 per MAC) of one forward + backward over n images: each conv's forward,
 * its filter gradient and (except the first, whose input needs none) its input gradient.
 * Batch norm, ReLU, pooling and the head are memory-bound or tiny and left out.
 */
export function conv4Flops(n: number, filters = 64): number {
  let flops = 0;
  let size = 28;
  let cin = 1;
  for (let i = 0; i < 4; i++) {
    const conv = 2 * size * size * 9 * cin * filters * n;
    flops += conv * (i === 0 ? 2 : 3);
    size = Math.floor(size / 2);
    cin = filters;
  }
  return flops;
}
