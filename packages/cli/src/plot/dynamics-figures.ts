import type { TopLevelSpec } from 'vega-lite';
import type { ReturnPoint, TracePoint } from './dynamics-control-results.js';
import type { RolloutPoint } from './dynamics-rollouts.js';

// Vega-Lite specs of the dynamics figures (rendered by figure-file.ts, like the learning curves).

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Tableau 10 without its grey, which reads as the truth's black. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#bcbd22'];
const TRUE_COLOR = '#000000';
const CEILING_COLOR = '#7f7f7f';

/** A title's first line, and what follows a colon as its subtitle (kept short: long lines widen the figure). */
function heading(title: string): object {
  const at = title.indexOf(': ');
  return at < 0
    ? { text: title, anchor: 'start' }
    : { text: title.slice(0, at), subtitle: title.slice(at + 2), anchor: 'start' };
}

const spec = (o: object): TopLevelSpec => ({ $schema: SCHEMA, background: 'white', ...o }) as TopLevelSpec;

/** Colours by name: the truth black, the ceiling grey, the models in palette order. */
function colorScale(names: readonly string[]): { domain: string[]; range: string[] } {
  let next = 0;
  const range = names.map((n) =>
    n === 'true'
      ? TRUE_COLOR
      : n.startsWith('true simulator')
        ? CEILING_COLOR
        : PALETTE[next++ % PALETTE.length],
  );
  return { domain: [...names], range };
}

/**
 * Predicted vs true open-loop rollouts: one panel per held-out variation (rows) and state value
 * (columns), the true states solid black, each model's predictions dashed in its colour.
 */
export function rolloutsSpec(points: readonly RolloutPoint[], title: string): TopLevelSpec {
  const series = [...new Set(points.map((p) => p.series))];
  return spec({
    title: heading(title),
    data: { values: points },
    facet: {
      row: {
        field: 'variation',
        type: 'nominal',
        title: null,
        sort: null,
        header: { labelFontSize: 11 },
      },
      column: { field: 'dim', type: 'nominal', title: null, sort: null },
    },
    spec: {
      width: 260,
      height: 150,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'seconds', type: 'quantitative', title: 'seconds from the rollout start' },
        y: { field: 'value', type: 'quantitative', title: 'state value', scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, scale: colorScale(series), sort: series },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          sort: series,
          scale: { domain: series, range: series.map((s) => (s === 'true' ? [1, 0] : [5, 3])) },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  });
}

/** Mean return per planning model with its 95 % CI, over the whole episode and after the change. */
export function returnsSpec(points: readonly ReturnPoint[], title: string): TopLevelSpec {
  const models = [...new Set(points.map((p) => p.model))];
  const x = {
    field: 'model',
    type: 'nominal',
    title: 'planning model',
    sort: models,
    axis: { labelAngle: -30, labelLimit: 300 },
  };
  const measure = {
    field: 'measure',
    type: 'nominal',
    title: null,
    sort: ['whole episode', 'after the change'],
    scale: { domain: ['whole episode', 'after the change'], range: ['#1f77b4', '#ff7f0e'] },
  };
  const xOffset = { field: 'measure', type: 'nominal', sort: ['whole episode', 'after the change'] };
  return spec({
    title: heading(title),
    width: { step: 50 },
    height: 260,
    data: { values: points },
    layer: [
      {
        mark: { type: 'errorbar', ticks: { size: 12 }, thickness: 1.5 },
        encoding: {
          x,
          xOffset,
          y: { field: 'lo', type: 'quantitative', title: 'return (mean ± 95 % CI)' },
          y2: { field: 'hi' },
          color: measure,
        },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: { x, xOffset, y: { field: 'value', type: 'quantitative' }, color: measure },
      },
    ],
  });
}

/**
 * Reward against simulated time, one line per planning model, with the change marked by a
 * vertical rule and its time.
 */
export function recoverySpec(
  points: readonly TracePoint[],
  labels: readonly string[],
  changeAtSeconds: number,
  title: string,
  window = 0.5,
): TopLevelSpec {
  const x = { field: 'seconds', type: 'quantitative', title: 'simulated time (s)' };
  return spec({
    title: heading(title),
    width: 560,
    height: 260,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x,
          y: {
            field: 'reward',
            type: 'quantitative',
            title: `reward (${window} s moving average)`,
          },
          color: {
            field: 'model',
            type: 'nominal',
            title: null,
            sort: labels,
            scale: colorScale(labels),
            legend: { orient: 'bottom', direction: 'vertical', labelLimit: 500 },
          },
        },
      },
      {
        data: { values: [{ seconds: changeAtSeconds }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#444444' },
        encoding: { x },
      },
      {
        data: { values: [{ seconds: changeAtSeconds, text: `change at ${changeAtSeconds.toFixed(1)} s` }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: 4, baseline: 'top', color: '#444444' },
        encoding: { x, y: { value: 0 }, text: { field: 'text' } },
      },
    ],
  });
}
