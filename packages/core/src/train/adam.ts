import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors/errors.js';

export interface AdamOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Adam over a fixed list of variables, with its moments held as named tensors so a checkpoint
 * can save and restore them exactly (tf.train.adam keys its state by global variable names).
 */
export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  /** Number of updates applied so far (bias correction uses it). */
  count = 0;

  constructor(private readonly vars: readonly tf.Variable[], private readonly opts: AdamOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }) {
    // tidy frees the zero tensors the variables were made from (a variable is a separate tensor).
    this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  apply(grads: readonly tf.Tensor[], lr: number): void {
    const { beta1, beta2, epsilon } = this.opts;
    this.count++;
    const c1 = 1 - beta1 ** this.count;
    const c2 = 1 - beta2 ** this.count;
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const step = tf.div(tf.mul(m, lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon));
        this.vars[i].assign(tf.sub(this.vars[i], step));
      });
    });
  }

  /** Moments as named tensors (`m/i`, `v/i`); the tensors are live, do not dispose. */
  named(): { name: string; tensor: tf.Tensor }[] {
    return [...this.m.map((t, i) => ({ name: `m/${i}`, tensor: t })), ...this.v.map((t, i) => ({ name: `v/${i}`, tensor: t }))];
  }

  load(values: Record<string, tf.Tensor>, count: number, source: string): void {
    const slots = [...this.m.map((t, i) => [`m/${i}`, t] as const), ...this.v.map((t, i) => [`v/${i}`, t] as const)];
    for (const [name, t] of slots) {
      const x = values[name];
      if (!x || x.shape.join() !== t.shape.join()) throw new CheckpointError(`${source}: optimizer slot '${name}' is missing or has the wrong shape`);
    }
    for (const [name, t] of slots) t.assign(values[name]);
    this.count = count;
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((t) => t.dispose());
  }
}
