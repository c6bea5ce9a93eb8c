import {
  HypernetModel,
  Rng,
  SINUSOID,
  sampleSinusoidTask,
  sinusoidBatch,
  sinusoidValue,
  taskStreams,
  tf,
  type SinusoidTask,
} from '@hypermeta/core';
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
export function adaptSinusoidTasks(
  model: HypernetModel,
  o: { tasks: number; shots: number; seed: number },
): AdaptedTask[] {
  const rng = taskStreams(o.seed).eval;
  const tasks = Array.from({ length: o.tasks }, () => sampleSinusoidTask(rng));
  const [lo, hi] = SINUSOID.x;
  const grid = Array.from({ length: GRID }, (_, i) => lo + ((hi - lo) * i) / (GRID - 1));
  const drawn = sinusoidBatch(tasks, o.shots, 1, rng);
  const queryX = tf.tensor3d(
    tasks.flatMap(() => grid),
    [o.tasks, GRID, 1],
  );
  const batch = { supportX: drawn.supportX, supportY: drawn.supportY, queryX };
  try {
    const pred = model.predict(batch, Rng.fromSeed(o.seed, 'plot-noise'));
    const [ys, sx, sy] = [pred.dataSync(), drawn.supportX.dataSync(), drawn.supportY.dataSync()];
    pred.dispose();
    return tasks.map((task, t) => ({
      task,
      support: Array.from({ length: o.shots }, (_, i) => ({
        x: sx[t * o.shots + i],
        y: sy[t * o.shots + i],
      })),
      curve: grid.map((x, i) => ({ x, truth: sinusoidValue(task, x), predicted: ys[t * GRID + i] })),
    }));
  } finally {
    tf.dispose([drawn.supportX, drawn.supportY, drawn.queryX, drawn.queryY!, queryX]);
  }
}

export const SERIES = {
  truth: 'true curve',
  predicted: 'predicted curve',
  support: 'support points',
} as const;

/**
 * One panel per task: true curve (dashed grey), predicted curve (solid blue), support points (red dots).
 * The legend draws each entry as its mark: a dashed line, a solid line, a dot (curves share one
 * colour-and-dash legend; the points have a colour scale of their own).
 */
export function adaptationSpec(adapted: AdaptedTask[], title: string): TopLevelSpec {
  const label = (a: AdaptedTask, t: number) =>
    `task ${t + 1}: A=${a.task.amplitude.toFixed(2)}, φ=${a.task.phase.toFixed(2)}`;
  const values = adapted.flatMap((a, t) => [
    ...a.curve.flatMap((c) => [
      { task: label(a, t), kind: 'curve', series: SERIES.truth, x: c.x, y: c.truth },
      { task: label(a, t), kind: 'curve', series: SERIES.predicted, x: c.x, y: c.predicted },
    ]),
    ...a.support.map((p) => ({ task: label(a, t), kind: 'support', series: SERIES.support, x: p.x, y: p.y })),
  ]);
  const x = { field: 'x', type: 'quantitative', title: 'x', scale: { domain: SINUSOID.x } };
  const y = { field: 'y', type: 'quantitative', title: 'y' };
  const series = [SERIES.truth, SERIES.predicted, SERIES.support];
  const colors = ['#7f7f7f', '#1f77b4', '#d62728'];
  const is = (name: string) => `datum.value === ${JSON.stringify(name)}`;
  // One legend for the three series, each symbol drawn as its mark.
  const legend = {
    title: null,
    encode: {
      symbols: {
        update: {
          shape: { signal: `${is(SERIES.support)} ? 'circle' : 'stroke'` },
          strokeDash: { signal: `${is(SERIES.truth)} ? [5, 4] : []` },
          size: { signal: `${is(SERIES.support)} ? 60 : 250` }, // the dot as big as the plotted ones; lines longer
          strokeWidth: { value: 2 },
          stroke: {
            signal: `${is(SERIES.truth)} ? '${colors[0]}' : ${is(SERIES.predicted)} ? '${colors[1]}' : '${colors[2]}'`,
          },
          fill: { signal: `${is(SERIES.support)} ? '${colors[2]}' : 'transparent'` },
          opacity: { value: 1 },
        },
      },
    },
  };
  const color = { field: 'series', type: 'nominal', scale: { domain: series, range: colors }, legend };
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
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y,
            color,
            strokeDash: {
              field: 'series',
              type: 'nominal',
              scale: {
                domain: series.slice(0, 2),
                range: [
                  [5, 4],
                  [1, 0],
                ],
              },
              legend: null,
            },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'support'" }],
          mark: { type: 'point', filled: true, size: 60, opacity: 1 },
          encoding: { x, y, color },
        },
      ],
    },
  } as unknown as TopLevelSpec; // built from plain objects; vl.compile checks it at run time
}
