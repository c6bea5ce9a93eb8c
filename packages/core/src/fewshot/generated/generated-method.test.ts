import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../index.js';
import { sampleEpisode } from '../../data/episodes.js';
import { InvalidArgumentError } from '../../errors/errors.js';
import { omniglotFamily } from '../../families/omniglot/family.js';
import { defaultOmniglotConfig } from '../../families/omniglot/omniglot-config.js';
import { Rng } from '../../random/rng.js';
import { gradientsInOrder } from '../../train/ordered-grads.js';
import { disposeEpisode, episodeTensors, type EpisodeTensors } from '../episode-tensors.js';
import { validateFewShotConfig } from '../fewshot-config.js';
import { FewShotModel } from '../fewshot-model.js';
import { syntheticCharacters } from '../fixtures.js';
import { linearLogits } from '../heads.js';
import { GeneratedMethod } from './generated-method.js';
import { fewShotNetwork } from '../../export/fewshot-network.js';
import { runNetwork } from '../../export/run-network.js';
import { specParamCount } from '../../export/network-spec.js';

const config = (over = {}) => ({
  ...defaultOmniglotConfig('generated'),
  filters: 4,
  taskFilters: 3,
  generatorHidden: [6],
  ...over,
});

function episode(seed: number, ways = 3, shots = 1, queries = 2): EpisodeTensors {
  const set = syntheticCharacters(seed, 5, 4);
  return episodeTensors(sampleEpisode(set, { ways, shots, queries, rng: Rng.fromSeed(seed, 'ep') }));
}

describe('generated task network', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('writes every weight of the task network in its published shapes, and the queries pass through nothing else', () => {
    const model = new FewShotModel(config(), 1);
    const method = model.method as GeneratedMethod;
    const ep = episode(2);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const g = method.generate(model, ep);
      const written = g.layers.flatMap((l) => [l.w, l.gamma, l.beta]);
      expect(written.map((t) => t.shape)).toEqual(method.taskNet.paramShapes.map((s) => s.shape));
      expect(g.head.w.shape).toEqual([3, 3]);
      expect(g.head.b.shape).toEqual([3]);
      // Re-running the task network alone on the generated weights gives the same logits.
      const all = tf.concat([ep.support, ep.query], 0) as tf.Tensor4D;
      const feats = method.taskNet.features(g.layers, all, ep.support.shape[0]);
      const again = linearLogits(tf.slice(feats, ep.support.shape[0]), g.head.w, g.head.b);
      const [a, b] = [g.logits.dataSync(), again.dataSync()];
      b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 5));
      // Different support sets give different networks.
      const other = episode(3);
      const w2 = method.generate(model, other).layers[1].w;
      expect(tf.max(tf.abs(tf.sub(w2, g.layers[1].w))).dataSync()[0]).toBeGreaterThan(1e-4);
      disposeEpisode(other);
    });
    expect(tf.memory().numTensors).toBe(before);
    disposeEpisode(ep);
    model.dispose();
  });

  it("a query changes neither the generated weights nor another query's logits", () => {
    const model = new FewShotModel(config(), 1);
    const ep = episode(4);
    tf.tidy(() => {
      const logits = model.queryLogits(ep).arraySync();
      const bright = tf.concat([tf.slice(ep.query, 0, 1), tf.onesLike(tf.slice(ep.query, 1))]) as tf.Tensor4D;
      const changed = model.queryLogits({ ...ep, query: bright }).arraySync();
      logits[0].forEach((v, i) => expect(changed[0][i]).toBeCloseTo(v, 5));
      expect(changed[1]).not.toEqual(logits[1]);
    });
    disposeEpisode(ep);
    model.dispose();
  });

  it("the episode loss's gradients match finite differences for the generators and the extractor", () => {
    const model = new FewShotModel(config({ innerSteps: 1 }), 5);
    // Two shots of five classes: batch norm over a 3-image support set has kinks a finite step crosses.
    const ep = episode(6, 5, 2, 2);
    const loss = () => tf.tidy(() => model.episodeObjective(ep).loss().dataSync()[0]);
    const { value, grads } = gradientsInOrder(() => model.episodeObjective(ep).loss(), model.store.variables);
    const rng = Rng.fromSeed(7, 'probe');
    let checked = 0;
    model.store.variables.forEach((v, k) => {
      const name = model.store.shapes[k].name;
      const g = grads[k].dataSync();
      const i = rng.int(v.size);
      const base = v.dataSync().slice();
      const eps = 1e-3;
      const at = (d: number) => {
        const x = base.slice();
        x[i] += d;
        v.assign(tf.tensor(x, v.shape));
        return loss();
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(base, v.shape));
      expect(Math.abs(fd - g[i]), `${name}[${i}]: ${fd} vs ${g[i]}`).toBeLessThan(
        2e-2 * Math.max(1, Math.abs(fd)),
      );
      checked++;
    });
    expect(checked).toBe(model.store.variables.length);
    tf.dispose([value, ...grads]);
    disposeEpisode(ep);
    model.dispose();
  });

  it('trains: a few meta-steps on synthetic characters lower the query loss without leaking tensors', () => {
    const model = new FewShotModel(config(), 3);
    const eps = [11, 12].map((s) => episode(s, 4, 1, 3));
    const mean = () =>
      eps.reduce((a, ep) => a + tf.tidy(() => model.episodeObjective(ep).loss().dataSync()[0]), 0);
    const first = mean();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 5; step++)
      for (const ep of eps) {
        const { value, grads } = gradientsInOrder(
          () => model.episodeObjective(ep).loss(),
          model.store.variables,
        );
        tf.tidy(() => model.store.variables.forEach((v, k) => v.assign(tf.sub(v, tf.mul(grads[k], 0.01)))));
        tf.dispose([value, ...grads]);
      }
    expect(tf.memory().numTensors).toBe(before);
    const last = mean();
    expect(last, `${first} → ${last}`).toBeLessThan(0.9 * first);
    eps.forEach(disposeEpisode);
    model.dispose();
  });

  it('exports the adapted network as plain layers that give the same query logits, at the task network size', () => {
    const model = new FewShotModel(config({ innerSteps: 1 }), 2);
    const method = model.method as GeneratedMethod;
    const ep = episode(8);
    const spec = fewShotNetwork(model, ep, ['a', 'b', 'c']);
    expect(specParamCount(spec)).toBe(method.taskNet.adaptedParams(3));
    tf.tidy(() => {
      const want = model.queryLogits(ep).dataSync();
      const got = runNetwork(spec, ep.query).dataSync();
      want.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    });
    disposeEpisode(ep);
    model.dispose();
  });

  it('needs a task-network width, and only the generated method takes one', () => {
    expect(() => validateFewShotConfig({ ...config(), taskFilters: undefined })).toThrow(
      InvalidArgumentError,
    );
    expect(() => validateFewShotConfig({ ...config(), taskFilters: 0 })).toThrow(InvalidArgumentError);
    expect(() => validateFewShotConfig({ ...defaultOmniglotConfig('protonet'), taskFilters: 8 })).toThrow(
      /generated option/,
    );
    expect(defaultOmniglotConfig('protonet')).not.toHaveProperty('taskFilters');
  });

  it("estimates a pass's memory from the extractor on the support set and the task network on every image", () => {
    const train = { ...omniglotFamily.defaultTrainConfig('generated'), shotsMax: 1, queries: 5 };
    const bytes = (c: number) => omniglotFamily.stepBytes!(config({ trainWays: 20, taskFilters: c }), train);
    expect(bytes(8)).toBeGreaterThan(bytes(4));
    // The task network's maps (20 × 6 images × 17 maps of 28×28×(8 − 4) floats more) and the
    // larger generator's weights, gradients and Adam moments.
    const params = (c: number) => omniglotFamily.paramCount(config({ taskFilters: c }));
    expect(bytes(8) - bytes(4)).toBe(4 * 120 * 17 * 28 * 28 * 4 + 16 * (params(8) - params(4)));
    const evalBytes = omniglotFamily.evalBytes!(config(), {
      episodes: 1,
      ways: 5,
      shots: 1,
      queries: 5,
      seed: 1,
    });
    expect(evalBytes).toBeGreaterThan(0);
  });

  it('refuses inputs that are not images', () => {
    const model = new FewShotModel(config(), 1);
    const ids = tf.zeros([3, 5], 'int32');
    expect(() =>
      (model.method as GeneratedMethod).generate(model, { ways: 3, shots: 1, support: ids, query: ids }),
    ).toThrow(InvalidArgumentError);
    ids.dispose();
    model.dispose();
  });
});
