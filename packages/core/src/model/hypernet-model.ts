import * as tf from '@tensorflow/tfjs-core';
import { firstOrderGradientSum, gradientSteps } from '../adapt/inner-loop.js';
import { ParamStore } from '../params/param-store.js';
import { Rng } from '../random/rng.js';
import { checkTaskBatch, type TaskBatch } from '../tasks/task-batch.js';
import { allShapes, buildComponents, type Components, initialValues } from './components.js';
import { type ModelConfig, validateModelConfig } from './config.js';
import { perTaskMse } from './losses.js';

/**
 * Conditioner → generator → (optional inner steps) → task network, with its trainable state.
 * Every method is batched over the tasks of a TaskBatch.
 */
export class HypernetModel {
  readonly parts: Components;
  readonly store: ParamStore;

  constructor(
    readonly config: ModelConfig,
    seed: number,
  ) {
    validateModelConfig(config);
    this.parts = buildComponents(config);
    this.store = new ParamStore(
      allShapes(this.parts),
      initialValues(this.parts, config, Rng.fromSeed(seed, 'init')),
    );
  }

  private get lrs(): tf.Tensor[] | undefined {
    const v = this.store.group('inner');
    return v.length ? v : undefined;
  }

  private code(batch: TaskBatch, rng: Rng): tf.Tensor2D {
    return this.parts.conditioner.encode(this.store.group('cond'), batch, rng);
  }

  private supportLoss(batch: TaskBatch): (values: tf.Tensor[]) => tf.Scalar {
    const { taskNet, generator } = this.parts;
    const gen = this.store.group('gen');
    const onParams = (theta: tf.Tensor[]) =>
      tf.sum(perTaskMse(taskNet.forward(theta, batch.supportX), batch.supportY)) as tf.Scalar;
    return this.config.inner.target === 'params'
      ? onParams
      : ([z]) => onParams(generator.generate(gen, z as tf.Tensor2D));
  }

  /** Start values of the inner loop: θ = g(z), or z itself. */
  private start(z: tf.Tensor2D): tf.Tensor[] {
    return this.config.inner.target === 'params'
      ? this.parts.generator.generate(this.store.group('gen'), z)
      : [z];
  }

  private finish(values: tf.Tensor[]): tf.Tensor[] {
    return this.config.inner.target === 'params'
      ? values
      : this.parts.generator.generate(this.store.group('gen'), values[0] as tf.Tensor2D);
  }

  /** Adapted task-network parameters, each [T, ...shape]. Caller disposes (or wraps in tidy). */
  adapt(batch: TaskBatch, rng: Rng): tf.Tensor[] {
    checkTaskBatch(batch, this.parts.taskNet.inputSize, this.parts.taskNet.outputSize);
    return tf.tidy(() => {
      const start = this.start(this.code(batch, rng));
      if (this.config.inner.steps === 0) return start;
      return this.finish(gradientSteps(start, this.supportLoss(batch), this.config.inner, this.lrs));
    });
  }

  /**
   * Adapted parameters refined by `steps` more plain gradient steps on the support set (at test
   * time, for tasks the generator alone fits poorly), at the inner loop's step size.
   */
  refine(batch: TaskBatch, rng: Rng, steps: number, lr = this.config.inner.lr): tf.Tensor[] {
    const theta = this.adapt(batch, rng);
    if (steps === 0) return theta;
    return tf.tidy(() => {
      const { taskNet } = this.parts;
      const loss = (vs: tf.Tensor[]) =>
        tf.sum(perTaskMse(taskNet.forward(vs, batch.supportX), batch.supportY)) as tf.Scalar;
      const out = gradientSteps(theta, loss, { steps, lr });
      tf.dispose(theta);
      return out;
    });
  }

  /** Predictions [T, Q, out] at the batch's query inputs. */
  predict(batch: TaskBatch, rng: Rng): tf.Tensor3D {
    return tf.tidy(() => this.parts.taskNet.forward(this.adapt(batch, rng), batch.queryX) as tf.Tensor3D);
  }

  /**
   * The meta-training objective for one batch: mean query MSE after adaptation, as a closure for
   * tf.variableGrads. A first-order inner loop is run here, before the tape, so the backward pass
   * never walks its gradients. Call `dispose` after the gradient step.
   */
  objective(batch: TaskBatch, rng: Rng): { loss: () => tf.Scalar; dispose: () => void } {
    const inner = this.config.inner;
    const noise = this.config.conditioning === 'noise' ? this.code(batch, rng) : undefined;
    const code = () => noise ?? this.code(batch, rng);
    let sums: tf.Tensor[] | undefined;
    if (inner.steps > 0 && inner.order === 1) {
      sums = tf.tidy(() =>
        firstOrderGradientSum(this.start(code()), this.supportLoss(batch), inner, this.lrs),
      );
    }
    const loss = () => {
      const start = this.start(code());
      let adapted: tf.Tensor[];
      if (inner.steps === 0) adapted = start;
      else if (sums) {
        const lrs = this.lrs;
        adapted = this.finish(start.map((v, i) => tf.sub(v, tf.mul(sums![i], lrs ? lrs[i] : inner.lr))));
      } else adapted = this.finish(gradientSteps(start, this.supportLoss(batch), inner, this.lrs));
      const pred = this.parts.taskNet.forward(adapted, batch.queryX);
      return tf.mean(perTaskMse(pred, batch.queryY!)) as tf.Scalar;
    };
    return {
      loss,
      dispose: () => {
        noise?.dispose();
        sums?.forEach((s) => s.dispose());
      },
    };
  }

  dispose(): void {
    this.store.dispose();
  }
}
