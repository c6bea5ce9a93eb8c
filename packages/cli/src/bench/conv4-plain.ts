import { Rng, tf } from '@hypermeta/core';

/**
 * A plain-tfjs conv4 (Vinyals et al. 2016; Snell et al. 2017) for the compute-efficiency figure:
 * 4 × [3×3 conv, 64 filters, batch norm (batch statistics), ReLU, 2×2 max-pool] on 28×28×1,
 * then a linear 20-way head. Written here because core's fewshot backbone did not exist yet.
 */
export class PlainConv4 {
  readonly vars: tf.Variable[];
  private readonly layers: { w: tf.Variable; gamma: tf.Variable; beta: tf.Variable }[] = [];
  private readonly head: tf.Variable;

  constructor(readonly ways: number, seed: number) {
    const rng = Rng.fromSeed(seed, 'bench-conv4');
    const randn = (shape: number[], scale: number) => tf.tidy(() => tf.variable(tf.tensor(rng.fill(shape.reduce((a, b) => a * b, 1), (r) => scale * r.normal()), shape)));
    let cin = 1;
    for (let i = 0; i < 4; i++) {
      this.layers.push({ w: randn([3, 3, cin, 64], Math.sqrt(2 / (9 * cin))), gamma: tf.variable(tf.ones([64])), beta: tf.variable(tf.zeros([64])) });
      cin = 64;
    }
    this.head = randn([64, ways], Math.sqrt(1 / 64));
    this.vars = [...this.layers.flatMap((l) => [l.w, l.gamma, l.beta]), this.head];
  }

  /** Cross-entropy of the head's logits; x [N, 28, 28, 1], labels one-hot [N, ways]. */
  loss(x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
    let h: tf.Tensor4D = x;
    for (const l of this.layers) {
      const c = tf.conv2d(h, l.w as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(c, [0, 1, 2]);
      const bn = tf.batchNorm(c, mean, variance, l.beta, l.gamma, 1e-5);
      h = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, 'valid') as tf.Tensor4D;
    }
    const feat = tf.reshape(h, [h.shape[0], -1]); // 28 → 14 → 7 → 3 → 1: [N, 64]
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(feat, this.head)) as tf.Scalar;
  }

  dispose(): void {
    tf.dispose(this.vars);
  }
}

/**
 * Multiply-add FLOPs (2 per MAC) of one forward + backward over n images: each conv's forward,
 * its filter gradient and (except the first, whose input needs none) its input gradient, plus
 * the head. Batch norm, ReLU and pooling are memory-bound and left out (a few % of the total).
 */
export function conv4Flops(n: number, ways: number): number {
  let flops = 0;
  let size = 28;
  let cin = 1;
  for (let i = 0; i < 4; i++) {
    const conv = 2 * size * size * 9 * cin * 64 * n;
    flops += conv * (i === 0 ? 2 : 3);
    size = Math.floor(size / 2);
    cin = 64;
  }
  return flops + 3 * 2 * n * 64 * ways;
}
