import { HypernetModel, Rng, SINUSOID, sampleSinusoidTask, sinusoidBatch, sinusoidValue, taskStreams, tf, type SinusoidTask } from '@hypermeta/core';
import type { TopLevelSpec } from 'vega-lite';

export interface AdaptedTask {
  task: SinusoidTask;
  support: { x: number; y: number }[];
  /** Evenly spaced over the input range: x, true y and predicted y. */
  curve: { x: number; truth: number; predicted: number }[];
}

const GRID = 101;

/**
 * Adapts `model` to `tasks` fresh tasks from the run's evaluation stream (never seen in training),
 * from `shots` support points each, and predicts on a grid: one batched forward pass.
 */
export function adaptSinusoidTasks(model: HypernetModel, o: { tasks: number; shots: number; seed: number }): AdaptedTask[] {
  const rng = taskStreams(o.seed).eval;
  const tasks = Array.from({ length: o.tasks }, () => sampleSinusoidTask(rng));
  const [lo, hi] = SINUSOID.x;
  const grid = Array.from({ length: GRID }, (_, i) => lo + ((hi - lo) * i) / (GRID - 1));
  const drawn = sinusoidBatch(tasks, o.shots, 1, rng);
  const queryX = tf.tensor3d(tasks.flatMap(() => grid), [o.tasks, GRID, 1]);
  const batch = { supportX: drawn.supportX, supportY: drawn.supportY, queryX };
  try {
    const pred = model.predict(batch, Rng.fromSeed(o.seed, 'plot-noise'));
    const [ys, sx, sy] = [pred.dataSync(), drawn.supportX.dataSync(), drawn.supportY.dataSync()];
    pred.dispose();
    return tasks.map((task, t) => ({
      task,
      support: Array.from({ length: o.shots }, (_, i) => ({ x: sx[t * o.shots + i], y: sy[t * o.shots + i] })),
      curve: grid.map((x, i) => ({ x, truth: sinusoidValue(task, x), predicted: ys[t * GRID + i] })),
    }));
  } finally {
    tf.dispose([drawn.supportX, drawn.supportY, drawn.queryX, drawn.queryY!, queryX]);
  }
}

/** One panel per task: true curve (dashed), predicted curve, support points. */
export function adaptationSpec(adapted: AdaptedTask[], title: string): TopLevelSpec {
  const label = (a: AdaptedTask, t: number) => `task ${t + 1}: A=${a.task.amplitude.toFixed(2)}, φ=${a.task.phase.toFixed(2)}`;
  const values = adapted.flatMap((a, t) => [
    ...a.curve.flatMap((c) => [
      { task: label(a, t), kind: 'curve', series: 'true', x: c.x, y: c.truth },
      { task: label(a, t), kind: 'curve', series: 'predicted', x: c.x, y: c.predicted },
    ]),
    ...a.support.map((p) => ({ task: label(a, t), kind: 'support', series: 'support points', x: p.x, y: p.y })),
  ]);
  const x = { field: 'x', type: 'quantitative', title: 'x', scale: { domain: SINUSOID.x } };
  const y = { field: 'y', type: 'quantitative', title: 'y' };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: ['true', 'predicted', 'support points'], range: ['#7f7f7f', '#1f77b4', '#d62728'] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start' },
    background: 'white',
    data: { values },
    facet: { column: { field: 'task', type: 'nominal', title: null, sort: null } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        // true curve dashed, predicted solid: two layers, so colour is the only legend
        { transform: [{ filter: "datum.series === 'true'" }], mark: { type: 'line', strokeWidth: 2, strokeDash: [5, 4] }, encoding: { x, y, color } },
        { transform: [{ filter: "datum.series === 'predicted'" }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
        { transform: [{ filter: "datum.kind === 'support'" }], mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y, color } },
      ],
    },
  } as unknown as TopLevelSpec; // built from plain objects; vl.compile checks it at run time
}
