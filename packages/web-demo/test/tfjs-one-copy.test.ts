import { createRequire } from 'node:module';
import { tf, useBackend } from '@hypermeta/core';
import { expect, it } from 'vitest';

// vitestCoreAlias (test-support/core-source-alias.js) loads tfjs-core's main before core's gradient
// registrations; without it their ESM copy claimed tfjs's process-wide Tensor class first.
it("has one tfjs Tensor class and engine: the main entry's, which ops' tensors work with", async () => {
  await useBackend('cpu');
  const main = createRequire(import.meta.url)('@tensorflow/tfjs-core') as typeof tf;
  const globals = (globalThis as { _tfGlobals?: Map<string, unknown> })._tfGlobals;
  expect(globals?.get('Tensor')).toBe(main.Tensor);
  expect(tf.engine()).toBe(main.engine());
  // tf.norm calls x.cast inside: the ESM copy's Tensor class had no op handler for it.
  expect(tf.norm(tf.tensor([3, 4])).dataSync()[0]).toBe(5);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor([1, 2]));
  expect(Array.from(g.dataSync())).toEqual([2, 4]);
});
