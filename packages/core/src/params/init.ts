import type { Rng } from '../random/rng.js';
import type { ParamSpec } from './param-shapes.js';
import { specSize } from './param-shapes.js';

/** Initial values for a dense layer's weight [fanIn, fanOut]: He-uniform for ReLU nets. */
export function heUniform(spec: ParamSpec, rng: Rng, gain = 1): Float32Array {
  const fanIn = spec.shape.length > 1 ? spec.shape.slice(0, -1).reduce((a, b) => a * b, 1) : spec.shape[0];
  const limit = gain * Math.sqrt(6 / fanIn);
  return rng.fill(specSize(spec), (r) => r.range(-limit, limit));
}

/** Bias-like parameters: uniform in ±1/sqrt(fanIn) as torch's Linear does, or a constant. */
export function uniformFill(spec: ParamSpec, rng: Rng, limit: number): Float32Array {
  return rng.fill(specSize(spec), (r) => r.range(-limit, limit));
}

export function constantFill(spec: ParamSpec, value: number): Float32Array {
  return new Float32Array(specSize(spec)).fill(value);
}

export function normalFill(spec: ParamSpec, rng: Rng, std: number): Float32Array {
  return rng.fill(specSize(spec), (r) => std * r.normal());
}
