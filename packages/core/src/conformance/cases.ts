import * as tf from '@tensorflow/tfjs-core';
import { flattenBatched, unflattenBatched } from '../params/flat-params.js';
import { paramCount, parseParamShapes, sameParamShapes } from '../params/param-shapes.js';
import { Rng } from '../random/rng.js';
import { MlpTaskNetwork } from '../tasknets/mlp-task-network.js';
import { perTaskMse } from '../model/losses.js';
import { disposeBatch } from '../tasks/task-batch.js';
import { expectClose, onBackend, read } from './compare.js';
import { objectiveAt, smallBatch, smallConfig, smallModel } from './fixtures.js';
import type { Activation } from '../nn/mlp.js';
import { familyCases } from './family-cases.js';
import { defaultFewShotConfig } from '../fewshot/fewshot-config.js';
import { FewShotModel } from '../fewshot/fewshot-model.js';
import { disposeEpisode, episodeTensors } from '../fewshot/episode-tensors.js';
import { type ConformanceCase, TOLERANCE } from './tolerance.js';

export { TOLERANCE, type ConformanceCase } from './tolerance.js';

function randomLike(shape: number[], rng: Rng, scale = 1): tf.Tensor {
  return tf.tensor(
    rng.fill(
      shape.reduce((a, b) => a * b, 1),
      (r) => scale * r.normal(),
    ),
    shape,
  );
}

/** Directional derivative of the meta-objective: analytic (tf.grads) against central differences. */
function checkObjectiveGradient(over: Parameters<typeof smallModel>[0]): void {
  const model = smallModel(over);
  const batch = smallBatch();
  const rng = Rng.fromSeed(5);
  try {
    const vars = model.store.variables;
    const dirs = vars.map((v) => randomLike(v.shape, rng));
    const o = model.objective(batch, Rng.fromSeed(11));
    const { grads } = tf.variableGrads(o.loss, vars);
    o.dispose();
    const analytic = tf.tidy(
      () =>
        tf.addN(vars.map((v, i) => tf.sum(tf.mul(grads[v.name] ?? tf.zerosLike(v), dirs[i])))).dataSync()[0],
    );
    tf.dispose(Object.values(grads));
    // Small enough that few ReLU units change sign, large enough for float32 differences.
    const eps = 3e-4;
    const shifted = (s: number) => tf.tidy(() => vars.map((v, i) => tf.add(v, tf.mul(dirs[i], s * eps))));
    const [plus, minus] = [shifted(1), shifted(-1)];
    const numeric = (objectiveAt(model, batch, plus) - objectiveAt(model, batch, minus)) / (2 * eps);
    tf.dispose([...plus, ...minus, ...dirs]);
    expectClose('directional derivative', [analytic], [numeric], TOLERANCE.finiteDifference);
  } finally {
    disposeBatch(batch);
    model.dispose();
  }
}

/** Hessian-vector product of a task network's loss: grad of grad against differences of gradients. */
function checkSecondOrder(activation: Activation): void {
  const net = new MlpTaskNetwork({ sizes: [1, 6, 6, 1], activation });
  const rng = Rng.fromSeed(9);
  const batch = smallBatch(2, 5, 1);
  const theta = net.paramShapes.map((s) => randomLike([2, ...s.shape], rng, 0.7));
  // Move only the output layer: hidden pre-activations stay put, so no ReLU kink is crossed and
  // the difference quotient is exact up to rounding; grad-of-grad still runs through every layer.
  const last = net.paramShapes.length - 2;
  const v = net.paramShapes.map((s, i) =>
    i >= last ? randomLike([2, ...s.shape], rng) : tf.zeros([2, ...s.shape]),
  );
  const loss = (ps: tf.Tensor[]) =>
    tf.sum(perTaskMse(net.forward(ps, batch.supportX), batch.supportY)) as tf.Scalar;
  const grad = (ps: tf.Tensor[]) => tf.grads((...a: tf.Tensor[]) => loss(a))(ps);
  const gv = (ps: tf.Tensor[]) => tf.addN(grad(ps).map((g, i) => tf.sum(tf.mul(g, v[i])))) as tf.Scalar;
  const hv = tf.tidy(() =>
    tf
      .grads((...a: tf.Tensor[]) => gv(a))(theta)
      .map((t) => read(t)),
  );
  const eps = 1e-3;
  const at = (s: number) =>
    tf.tidy(() => grad(theta.map((t, i) => tf.add(t, tf.mul(v[i], s * eps)))).map((t) => read(t)));
  const [gp, gm] = [at(1), at(-1)];
  hv.forEach((h, i) =>
    expectClose(
      `Hessian-vector product (${activation}) of ${net.paramShapes[i].name}`,
      h,
      gp[i].map((p, j) => (p - gm[i][j]) / (2 * eps)),
      TOLERANCE.finiteDifference,
    ),
  );
  tf.dispose([...theta, ...v]);
  disposeBatch(batch);
}

function modelOutputs(): { pred: Float32Array; grads: Float32Array[] } {
  const model = smallModel({ inner: { steps: 1, target: 'params', lr: 0.05, order: 2, learnLr: true } });
  const batch = smallBatch();
  try {
    const pred = tf.tidy(() => read(model.predict(batch, Rng.fromSeed(1))));
    const o = model.objective(batch, Rng.fromSeed(2));
    const { grads } = tf.variableGrads(o.loss, model.store.variables);
    o.dispose();
    const out = model.store.variables.map((v) => read(grads[v.name]));
    tf.dispose(Object.values(grads));
    return { pred, grads: out };
  } finally {
    disposeBatch(batch);
    model.dispose();
  }
}

function convGrads(stride: number, pad: 'same' | 'valid'): Float32Array[] {
  return tf.tidy(() => {
    const rng = Rng.fromSeed(4);
    const x = randomLike([2, 9, 9, 3], rng);
    const f = randomLike([3, 3, 3, 4], rng);
    const out = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad);
    const w = randomLike(out.shape, rng);
    return tf
      .grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), w)),
      )([x, f])
      .map(read);
  });
}

/** Protonet logits on an episode whose classes have 1, 2 and 3 support images. */
function unevenLogits(): Float32Array {
  const rng = Rng.fromSeed(8);
  const model = new FewShotModel({ ...defaultFewShotConfig('conformance', 'protonet'), filters: 4 }, 3);
  const ep = episodeTensors({
    ways: 3,
    shots: 1,
    classSizes: [1, 2, 3],
    support: rng.fill(6 * 784, (r) => (r.uniform() < 0.2 ? 1 : 0)),
    supportShape: [6, 28, 28, 1],
    query: rng.fill(4 * 784, (r) => (r.uniform() < 0.2 ? 1 : 0)),
    queryShape: [4, 28, 28, 1],
  });
  try {
    return tf.tidy(() => read(model.queryLogits(ep)));
  } finally {
    disposeEpisode(ep);
    model.dispose();
  }
}

/**
 * Predictions of an encoder hypernet for T tasks, computed outside a tape (where a backend's
 * FusedDense kernel runs) and under one (plain matMul + add + activation).
 */
function fusedAndTaped(T: number): { outside: Float32Array; taped: Float32Array } {
  const model = smallModel();
  const batch = smallBatch(T);
  try {
    const outside = tf.tidy(() => read(model.predict(batch, Rng.fromSeed(1))));
    let taped: Float32Array = new Float32Array(0);
    tf.dispose(
      tf.grad((s: tf.Tensor) => {
        taped = read(model.predict(batch, Rng.fromSeed(1)));
        return tf.sum(s);
      })(tf.scalar(1)),
    );
    return { outside, taped };
  } finally {
    disposeBatch(batch);
    model.dispose();
  }
}

/** The suite; `tfName` is the tfjs backend to test, already registered and set up. */
export function conformanceCases(tfName: string): ConformanceCase[] {
  const on = <T>(f: () => T) => onBackend(tfName, f);
  return [
    {
      name: 'parameter shapes round-trip through JSON and flat batches',
      run: () =>
        on(() => {
          const shapes = new MlpTaskNetwork({ sizes: [2, 5, 3] }).paramShapes;
          if (!sameParamShapes(parseParamShapes(JSON.parse(JSON.stringify(shapes))), shapes))
            throw new Error('JSON round-trip changed the shapes');
          const flat = randomLike([3, paramCount(shapes)], Rng.fromSeed(1)) as tf.Tensor2D;
          const back = tf.tidy(() => read(flattenBatched(unflattenBatched(flat, shapes))));
          expectClose('flatten(unflatten(x))', back, read(flat), 0);
          flat.dispose();
        }),
    },
    {
      name: 'batched forward equals per-task forward',
      run: () =>
        on(() => {
          const net = new MlpTaskNetwork({ sizes: [1, 16, 16, 1] });
          const rng = Rng.fromSeed(2);
          const theta = net.paramShapes.map((s) => randomLike([4, ...s.shape], rng, 0.5));
          const x = randomLike([4, 7, 1], rng, 3);
          const batched = tf.tidy(() => read(net.forward(theta, x)));
          const single = tf.tidy(() =>
            Float32Array.from(
              Array.from({ length: 4 }, (_, t) =>
                Array.from(
                  read(
                    net.forward(
                      theta.map((p) => tf.slice(p, t, 1)),
                      tf.slice(x, t, 1),
                    ),
                  ),
                ),
              ).flat(),
            ),
          );
          expectClose('batched vs per-task', batched, single, TOLERANCE.sameBackend);
          tf.dispose([...theta, x]);
        }),
    },
    ...(['encoder', 'embedding'] as const).flatMap((conditioning) =>
      (['mlp', 'chunked'] as const).map((kind) => ({
        name: `meta-gradient matches finite differences (${conditioning}, ${kind} generator)`,
        run: () =>
          on(() =>
            checkObjectiveGradient({
              conditioning,
              generator: { ...smallConfig().generator, kind },
              inner: { steps: 0, target: 'params', lr: 0.01, order: 1, learnLr: false },
            }),
          ),
      })),
    ),
    ...(['params', 'code'] as const).map((target) => ({
      name: `second-order meta-gradient through inner steps on ${target} matches finite differences`,
      run: () =>
        on(() => checkObjectiveGradient({ inner: { steps: 2, target, lr: 0.05, order: 2, learnLr: true } })),
    })),
    ...(['relu', 'linear'] as const).map((act) => ({
      name: `second-order gradients (${act})`,
      run: () => on(() => checkSecondOrder(act)),
    })),
    {
      name: 'predictions and meta-gradients agree with the cpu backend',
      run: async () => {
        const ref = await onBackend('cpu', modelOutputs);
        const got = await on(modelOutputs);
        expectClose('predictions', got.pred, ref.pred, TOLERANCE.vsCpu);
        got.grads.forEach((g, i) => expectClose(`gradient ${i}`, g, ref.grads[i], TOLERANCE.vsCpu));
      },
    },
    {
      name: 'predictions outside a gradient tape (fused kernels) equal those under one, for 1 and 4 tasks',
      run: () =>
        on(() => {
          for (const T of [1, 4]) {
            const { outside, taped } = fusedAndTaped(T);
            expectClose(`T = ${T}`, outside, taped, TOLERANCE.sameBackend);
          }
        }),
    },
    {
      name: 'conv2d gradients agree with the cpu backend',
      run: async () => {
        for (const [stride, pad] of [
          [1, 'same'],
          [2, 'valid'],
        ] as const) {
          const ref = await onBackend('cpu', () => convGrads(stride, pad));
          const got = await on(() => convGrads(stride, pad));
          got.forEach((g, i) =>
            expectClose(
              `conv2d ${i ? 'dFilter' : 'dx'} (stride ${stride}, ${pad})`,
              g,
              ref[i],
              TOLERANCE.vsCpu,
            ),
          );
        }
      },
    },
    {
      name: 'uneven few-shot class sizes (class means by one-hot products) agree with the cpu backend',
      run: async () => {
        const ref = await onBackend('cpu', unevenLogits);
        const got = await on(unevenLogits);
        expectClose('logits', got, ref, TOLERANCE.vsCpu);
      },
    },
    {
      name: 'one-hot products (embedding codes) agree with the cpu backend',
      run: async () => {
        const f = () =>
          tf.tidy(() =>
            read(
              tf.matMul(
                tf.cast(tf.oneHot(tf.tensor1d([3, 1, 4, 0], 'int32'), 5), 'float32'),
                tf.reshape(tf.range(0, 30), [5, 6]) as tf.Tensor2D,
              ),
            ),
          );
        expectClose('one-hot product', await on(f), await onBackend('cpu', f), 0);
      },
    },
    ...familyCases(tfName),
  ];
}
