import { allFamilies } from '@hypermeta/core';
import type { TopLevelSpec } from 'vega-lite';
import type { RunMetrics } from './run-metrics.js';

const WIDTH = 520;
const HEIGHT = 200;

/** Titles of the fields metrics.jsonl holds: each family names its periodic evaluation. */
export function metricTitle(field: string): string {
  const periodic = allFamilies().map((f) => f.periodicEval()).find((p) => p.key === field);
  return periodic?.title ?? field;
}

/** Meta-training loss, log-scaled when every value is positive (a decaying MSE spans decades). */
function lossPanel(m: RunMetrics): object {
  const positive = m.train.every((p) => p.loss > 0);
  return {
    title: 'meta-training loss',
    width: WIDTH,
    height: HEIGHT,
    data: { values: m.train },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'meta-training step' },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: positive ? { type: 'log' } : {} },
    },
  };
}

/** One eval metric over steps, with its 95 % CI as a band when the log has one. */
function evalPanel(m: RunMetrics, metric: string): object {
  const values = m.evals.filter((p) => p.metric === metric).map((p) => ({ ...p, lo: p.value - (p.ci95 ?? 0), hi: p.value + (p.ci95 ?? 0) }));
  const x = { field: 'step', type: 'quantitative', title: 'meta-training step' };
  const layers: object[] = [
    { mark: { type: 'line', point: { color: '#d62728' }, color: '#d62728' }, encoding: { x, y: { field: 'value', type: 'quantitative', title: metricTitle(metric) } } },
  ];
  if (values.some((v) => v.ci95 !== undefined)) {
    layers.unshift({ mark: { type: 'area', opacity: 0.2, color: '#d62728' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } });
  }
  return { title: metricTitle(metric), width: WIDTH, height: HEIGHT, data: { values }, layer: layers };
}

/** Learning curves of a run: the loss, then one panel per eval metric. */
export function learningCurvesSpec(m: RunMetrics, run: string): TopLevelSpec {
  const panels = [...(m.train.length ? [lossPanel(m)] : []), ...m.metrics.map((k) => evalPanel(m, k))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `hypermeta run ${run}`, anchor: 'start' },
    background: 'white',
    vconcat: panels,
  } as unknown as TopLevelSpec; // built from plain objects; vl.compile checks it at run time
}
