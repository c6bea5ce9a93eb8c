import { SINUSOID } from '@hypermeta/core';

/** Least-squares fit of y = a·sin x + b·cos x, i.e. A·sin(x − φ) with A = √(a² + b²), φ = atan2(−b, a). */
function fitSinusoid(
  points: readonly number[][],
): { amplitude: number; phase: number; residual: number } | undefined {
  let ss = 0,
    sc = 0,
    cc = 0,
    sy = 0,
    cy = 0,
    yy = 0;
  for (const [x, y] of points) {
    const s = Math.sin(x);
    const c = Math.cos(x);
    ss += s * s;
    sc += s * c;
    cc += c * c;
    sy += s * y;
    cy += c * y;
    yy += y * y;
  }
  const det = ss * cc - sc * sc;
  if (points.length < 3 || Math.abs(det) < 1e-9) return undefined;
  const a = (sy * cc - cy * sc) / det;
  const b = (cy * ss - sy * sc) / det;
  const residual =
    points.reduce((r, [x, y]) => r + (y - a * Math.sin(x) - b * Math.cos(x)) ** 2, 0) / points.length;
  let phase = Math.atan2(-b, a);
  if (phase < 0) phase += 2 * Math.PI;
  return { amplitude: Math.hypot(a, b), phase, residual: residual / Math.max(1e-12, yy / points.length) };
}

/**
 * What the support and query points say about the task, against the family the model was
 * trained on (y = A·sin(x − φ), A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5]): one warning a problem.
 * A model asked outside its training distribution answers anyway, so the user is told.
 */
export function sinusoidWarnings(support: readonly number[][], queryX: readonly number[]): string[] {
  const out: string[] = [];
  const [lo, hi] = SINUSOID.x;
  const outside = (xs: readonly number[]) => xs.filter((x) => x < lo || x > hi).length;
  const s = outside(support.map((p) => p[0]));
  const q = outside(queryX);
  if (s) out.push(`${s} support point(s) lie outside x ∈ [${lo}, ${hi}], the range training saw`);
  if (q) out.push(`${q} query point(s) lie outside x ∈ [${lo}, ${hi}]: predictions there are extrapolation`);
  const fit = fitSinusoid(support);
  if (!fit) return out;
  if (fit.residual > 0.1) {
    out.push(
      `the support points do not look like one sinusoid y = A·sin(x − φ) (${(100 * fit.residual).toFixed(0)} % of their variance is unexplained)`,
    );
    return out;
  }
  const [aLo, aHi] = SINUSOID.amplitude;
  // 5 % slack: a fit to a few points scatters around the true amplitude.
  if (fit.amplitude < aLo * 0.95 || fit.amplitude > aHi * 1.05) {
    out.push(
      `the support points suggest amplitude A ≈ ${fit.amplitude.toFixed(2)}, outside the trained range [${aLo}, ${aHi}]`,
    );
  }
  const [pLo, pHi] = SINUSOID.phase;
  if (fit.phase > pHi + 0.05 && fit.phase < 2 * Math.PI - 0.05) {
    out.push(
      `the support points suggest phase φ ≈ ${fit.phase.toFixed(2)}, outside the trained range [${pLo}, π]`,
    );
  }
  return out;
}
