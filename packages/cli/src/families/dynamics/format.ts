import type { EvalSummary } from '@hypermeta/core';

interface SetFigures {
  oneStepNmse: number;
  ci95: number;
  horizonNmse: Record<string, number>;
  variations: number;
  unstableSkipped: number;
}

const f4 = (v: number) => v.toPrecision(3);

function line(name: string, s: SetFigures): string {
  const horizons = Object.entries(s.horizonNmse)
    .map(([h, v]) => `${h} ${f4(v)}`)
    .join(', ');
  const skipped = s.unstableSkipped ? `, ${s.unstableSkipped} unstable skipped` : '';
  return `${name} (${s.variations} variations${skipped}): one-step NMSE ${f4(s.oneStepNmse)} ± ${f4(s.ci95)}, open-loop ${horizons}`;
}

/** The human lines of a dynamics evaluation: in range, then extrapolation. */
export function formatDynamicsEval(
  r: EvalSummary,
  _f: unknown,
  run: { backend: string; method: string },
): string {
  const x = r.figures as {
    env: string;
    context: number;
    adaptMsPerTask: number;
    extrapolation?: SetFigures;
  } & Omit<SetFigures, 'oneStepNmse' | 'ci95'>;
  const inRange = line('held-out', { ...x, oneStepNmse: r.value, ci95: r.ci95 });
  const out = x.extrapolation ? `\n${line('extrapolation', x.extrapolation)}` : '';
  return (
    `${run.method} on ${x.env}, K=${x.context}: ${inRange}${out}\n` +
    `adaptation ${x.adaptMsPerTask.toFixed(4)} ms per variation (batched), backend ${run.backend}`
  );
}
