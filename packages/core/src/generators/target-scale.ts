import { type ParamShapes, specSize } from '../params/param-shapes.js';

/**
 * The spread a standard initialisation gives each target parameter (He for weights,
 * 1/sqrt(fanIn) for biases). Generators scale their raw outputs by it, so a fresh generator
 * emits task networks of sensible magnitude whatever the layer sizes are ("hyperfan" idea).
 */
export function targetScales(shapes: ParamShapes): Float32Array {
  const out = new Float32Array(shapes.reduce((n, s) => n + specSize(s), 0));
  let at = 0;
  shapes.forEach((s, i) => {
    const fanIn =
      s.shape.length > 1 ? s.shape.slice(0, -1).reduce((a, b) => a * b, 1) : (shapes[i - 1]?.shape[0] ?? 1);
    const scale = s.shape.length > 1 ? Math.sqrt(2 / fanIn) : 1 / Math.sqrt(fanIn);
    out.fill(scale, at, at + specSize(s));
    at += specSize(s);
  });
  return out;
}
