import { allFamilies } from '@hypermeta/core';
import type { TopLevelSpec } from 'vega-lite';
import type { RunMetrics, TrainPoint } from './run-metrics.js';

const WIDTH = 520;
const HEIGHT = 200;
const SMALL_HEIGHT = 120;
const LOSS_COLOR = '#1f77b4';
const EVAL_COLOR = '#d62728';
const NORM_COLOR = '#7f7f7f';
const LR_COLOR = '#2ca02c';

/** Legend symbols drawn like the marks they name (paths in Vega's unit square, -1..1). */
const SYMBOL = {
  line: 'stroke',
  lineWithPoints: 'M-1,0H1M0.4,0A0.4,0.4,0,1,1,-0.4,0A0.4,0.4,0,1,1,0.4,0Z',
  point: 'circle',
  band: 'square',
  errorBar: 'M0,-1V1M-0.5,-1H0.5M-0.5,1H0.5',
} as const;

/** What figures call the fields of metrics.jsonl: panel title and y-axis title. */
export interface FieldTitle {
  title: string;
  axis: string;
}

const FIELDS: Record<string, FieldTitle> = {
  step: { title: 'meta-training step', axis: 'meta-training step' },
  loss: { title: 'meta-training loss', axis: 'loss' },
  gradNorm: { title: 'gradient norm (before clipping)', axis: 'gradient norm' },
  lr: { title: 'learning rate', axis: 'learning rate' },
};

/**
 * The metric-name table: the training fields above, and each registered family's periodic
 * evaluation under its own title.
 */
export function metricTitles(): Record<string, FieldTitle> {
  const evals = allFamilies().map((f) => f.periodicEval());
  return { ...FIELDS, ...Object.fromEntries(evals.map((p) => [p.key, { title: p.title, axis: p.title }])) };
}

/** A field no table names (a family no longer registered): its words, never the raw key. */
function fallbackTitle(field: string): string {
  const words = field
    .replace(/^eval(?=[A-Z0-9])/, '')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase();
  return /^eval[A-Z0-9]/.test(field) ? `held-out ${words}` : words;
}

export function metricTitle(field: string): string {
  return metricTitles()[field]?.title ?? fallbackTitle(field);
}

function axisTitle(field: string): string {
  return metricTitles()[field]?.axis ?? fallbackTitle(field);
}

type Domain = [number, number];

/**
 * The step axis every panel shares: the logged steps, integer ticks only. One logged step
 * (one checkpoint) spans the run from step 0 to it, never a made-up 0..1 of fractional steps.
 */
function stepDomain(m: RunMetrics): Domain {
  const steps = [...m.train.map((p) => p.step), ...m.evals.map((p) => p.step)];
  const [lo, hi] = [Math.min(...steps), Math.max(...steps)];
  if (lo < hi) return [lo, hi];
  return hi > 0 ? [0, hi] : [hi, hi + 1];
}

function stepEncoding(domain: Domain): object {
  return {
    field: 'step',
    type: 'quantitative',
    title: axisTitle('step'),
    scale: { domain, nice: false, zero: false },
    axis: { format: 'd', tickMinStep: 1 },
  };
}

/** A colour legend of one entry whose symbol is drawn like the mark; one scale per layer. */
function legendColor(label: string, color: string, symbolType: string, extra: object = {}): object {
  return {
    datum: label,
    scale: { domain: [label], range: [color] },
    legend: { title: null, symbolType, symbolStrokeWidth: 2, ...extra },
  };
}

/** A series over steps: a line where there are two or more points, a point where there is one. */
function seriesMark(n: number, color: string): object {
  return n > 1 ? { type: 'line', strokeWidth: 1.5, color } : { type: 'point', filled: true, size: 60, color };
}

/**
 * The y scale and axis of a series: log where the values are positive and span a decade or more
 * (a decaying MSE, early gradient norms), with ticks at whole decades only; else linear.
 */
function valueAxis(
  values: number[],
  o: { log: boolean; zero: boolean; format?: string },
): { scale: object; axis: object } {
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  if (o.log && lo > 0 && hi / lo >= 10) {
    const [a, b] = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
    const decades = Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i));
    return {
      scale: { type: 'log', domain: [decades[0], decades.at(-1)], nice: false },
      axis: { values: decades, format: '~g' },
    };
  }
  return {
    scale: { zero: o.zero },
    axis: o.format ? { labelExpr: `datum.value === 0 ? '0' : format(datum.value, '${o.format}')` } : {},
  };
}

/** A meta-training series (loss, gradient norm, learning rate) over steps. */
function trainPanel(
  m: RunMetrics,
  field: 'loss' | 'gradNorm' | 'lr',
  color: string,
  o: { log: boolean; height: number; domain: Domain },
): object | null {
  const values = m.train
    .filter((p) => typeof p[field] === 'number')
    .map((p) => ({ step: p.step, value: p[field] as number }));
  if (values.length === 0) return null;
  return {
    title: metricTitle(field),
    width: WIDTH,
    height: o.height,
    data: { values },
    mark: seriesMark(values.length, color),
    encoding: {
      x: stepEncoding(o.domain),
      y: {
        field: 'value',
        type: 'quantitative',
        title: axisTitle(field),
        ...valueAxis(
          values.map((v) => v.value),
          { log: o.log, zero: true, format: field === 'lr' ? '~e' : undefined },
        ),
      },
    },
  };
}

/** The learning rate only when it changes over the run; a constant rate says nothing a panel should. */
function lrVaries(train: TrainPoint[]): boolean {
  const lrs = new Set(train.flatMap((p) => (typeof p.lr === 'number' ? [p.lr] : [])));
  return lrs.size > 1;
}

/**
 * One eval metric over steps: its mean, and its 95 % CI where the evaluation had one (more than
 * one episode or task: a ci95 of 0 or none draws nothing). Over several steps the CI is a band
 * (broken where a step has none); at a single step, an error bar. The legend names each mark.
 */
function evalPanel(m: RunMetrics, metric: string, domain: Domain): object {
  const values = m.evals
    .filter((p) => p.metric === metric)
    .map((p) => {
      const ci = p.ci95 !== undefined && p.ci95 > 0 ? p.ci95 : null;
      return {
        step: p.step,
        value: p.value,
        lo: ci === null ? null : p.value - ci,
        hi: ci === null ? null : p.value + ci,
      };
    });
  const steps = new Set(values.map((v) => v.step)).size;
  const hasCi = values.some((v) => v.lo !== null);
  const x = stepEncoding(domain);
  const yTitle = axisTitle(metric);
  const mean =
    steps > 1
      ? {
          mark: { type: 'line', strokeWidth: 1.5, point: { filled: true, size: 40 } },
          symbol: SYMBOL.lineWithPoints,
        }
      : { mark: { type: 'point', filled: true, size: 60 }, symbol: SYMBOL.point };
  const layers: object[] = [];
  if (hasCi && steps > 1) {
    layers.push({
      mark: { type: 'area', opacity: 0.2, invalid: 'break-paths-show-domains' },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: yTitle },
        y2: { field: 'hi' },
        color: legendColor('95 % CI', EVAL_COLOR, SYMBOL.band, { symbolOpacity: 0.25, symbolStrokeWidth: 0 }),
      },
    });
  } else if (hasCi) {
    layers.push({
      mark: { type: 'errorbar', ticks: true, thickness: 1.5 },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: yTitle },
        y2: { field: 'hi' },
        color: legendColor('95 % CI', EVAL_COLOR, SYMBOL.errorBar),
      },
    });
  }
  layers.push({
    mark: mean.mark,
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: hasCi ? legendColor('mean', EVAL_COLOR, mean.symbol) : { value: EVAL_COLOR },
    },
  });
  return {
    title: metricTitle(metric),
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  };
}

/** Learning curves of a run: the loss, each eval metric, then the gradient norm and (when it changes) the learning rate. */
export function learningCurvesSpec(m: RunMetrics, run: string): TopLevelSpec {
  const domain = stepDomain(m);
  const panels = [
    trainPanel(m, 'loss', LOSS_COLOR, { log: true, height: HEIGHT, domain }),
    ...m.metrics.map((k) => evalPanel(m, k, domain)),
    trainPanel(m, 'gradNorm', NORM_COLOR, { log: true, height: SMALL_HEIGHT, domain }),
    lrVaries(m.train) ? trainPanel(m, 'lr', LR_COLOR, { log: false, height: SMALL_HEIGHT, domain }) : null,
  ].filter((p) => p !== null);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `hypermeta run ${run}`, anchor: 'start' },
    background: 'white',
    vconcat: panels,
  } as unknown as TopLevelSpec; // built from plain objects; vl.compile checks it at run time
}
