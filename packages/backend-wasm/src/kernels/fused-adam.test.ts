import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { Adam } from '@hypermeta/core';
import { FusedAdam } from '@hypermeta/core/backend';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_ADAM } from './fused-adam.js';
import { disableHeapModulesForTests } from './heap-module.js';
import { registerWasmKernels } from './index.js';

const values = (n: number, seed: number, scale: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * scale);
/** Float32 bit patterns, so "equal" means bit for bit (NaN and −0 included). */
const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

// Sizes that are and are not multiples of the 4 SIMD lanes, and a generator-sized matrix.
const shapes = [[2, 64], [64], [64, 1761], [1761], [3], [5, 7], [1]];
const total = shapes.reduce((a, s) => a + s.reduce((x, d) => x * d, 1), 0);

function variables(): tf.Variable[] {
  return shapes.map((s, i) =>
    tf.variable(
      tf.tensor(
        values(
          s.reduce((a, d) => a * d, 1),
          i,
          1,
        ),
        s,
      ),
    ),
  );
}

describe('wasm FusedAdam (one SIMD pass for the whole Adam update)', () => {
  beforeAll(async () => {
    registerWasmKernels();
    await tf.setBackend('wasm');
  });

  it('is the name core dispatches', () => {
    expect(FUSED_ADAM).toBe(FusedAdam);
    expect(tf.getKernel(FusedAdam, 'wasm')).toBeDefined();
  });

  for (const path of ['SIMD module', 'JS loop (no SIMD, or a shared heap)']) {
    it(`gives the composite update bit for bit: weights and both moments, over 25 steps (${path})`, () => {
      disableHeapModulesForTests(path.startsWith('JS'));
      try {
        compareWithComposite();
      } finally {
        disableHeapModulesForTests(false);
      }
    });
  }

  function compareWithComposite(): void {
    const [fusedVars, plainVars] = [variables(), variables()];
    const fused = new Adam(fusedVars);
    const plain = new Adam(plainVars, undefined, false);
    for (let step = 0; step < 25; step++) {
      // tiny, ordinary and large gradients, and a zero one (0/0 must not appear: eps)
      const scale = [1e-7, 0.3, 40, 0][step % 4];
      const g = tf.tensor1d(values(total, 100 + step, scale));
      fused.applyFlat(g, 0.01 / (1 + step));
      plain.applyFlat(g, 0.01 / (1 + step));
      g.dispose();
    }
    fusedVars.forEach((v, i) => expect(bits(v)).toEqual(bits(plainVars[i])));
    const [fm, pm] = [fused.named(), plain.named()];
    fm.forEach((x, i) => expect(bits(x.tensor)).toEqual(bits(pm[i].tensor)));
    expect(fusedVars.some((v, i) => bits(v).join() !== bits(variables()[i]).join())).toBe(true); // it did move them
    fused.dispose();
    plain.dispose();
    tf.dispose([...fusedVars, ...plainVars]);
  }

  it('leaves no tensor behind', () => {
    const vars = variables();
    const adam = new Adam(vars);
    const g = tf.tensor1d(values(total, 1, 0.1));
    adam.applyFlat(g, 0.01);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) adam.applyFlat(g, 0.01);
    expect(tf.memory().numTensors).toBe(before);
    adam.dispose();
    tf.dispose([g, ...vars]);
  });

  it('refuses a gradient that does not cover the variables', () => {
    const vars = variables();
    const g = tf.zeros([total - 1]);
    const m = tf.zeros([total]);
    const inputs: Record<string, tf.Tensor> = { g, m, v: m };
    vars.forEach((x, i) => (inputs[`p${i}`] = x));
    const attrs = { params: vars.length, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, a: 0.01, c2: 0.001 };
    expect(() => tf.engine().runKernel(FusedAdam, inputs, attrs as never)).toThrow(
      /g must be float32 with \d+ elements/,
    );
    tf.dispose([g, m, ...vars]);
  });

  it('is assembled from adam.wat as committed (adam-wasm.ts is not stale)', () => {
    const script = fileURLToPath(new URL('../../scripts/assemble-wat.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
