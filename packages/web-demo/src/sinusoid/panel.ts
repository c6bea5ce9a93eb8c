import { HypernetModel, Rng, sampleSinusoidTask, sinusoidValue, type SinusoidTask } from '@hypermeta/core';
import { loadModel, state } from '../runtime.js';
import { adaptAndPredict, GRID, meanSquaredError, type Point } from './adapt.js';
import { drawPlot, insideFrame, plotFrame, toData, type PlotLayout } from './plot-canvas.js';

/** What the e2e test reads: the task, the points, both curves, the error and the adaptation time. */
interface SinusoidState {
  task: SinusoidTask;
  points: Point[];
  truth: number[];
  predicted: number[] | null;
  mse: number | null;
  adaptMs: number | null;
  frame: ReturnType<typeof plotFrame>;
  /** The legend and axis titles as last drawn. */
  layout: PlotLayout | null;
}

/** The sinusoid panel: click to add support points; each click re-adapts the hypernetwork. */
export async function startSinusoidPanel(seed: number): Promise<void> {
  const root = document.getElementById('sinusoid')!;
  const canvas = document.getElementById('sine-canvas') as HTMLCanvasElement;
  const readout = document.getElementById('sine-readout')!;
  const model = await loadModel('models/sinusoid/');
  if (!(model instanceof HypernetModel))
    throw new Error(`models/sinusoid holds a '${model.config.task}' model`);
  const tasks = Rng.fromSeed(seed, 'demo-tasks');
  const s: SinusoidState = {
    task: sampleSinusoidTask(tasks),
    points: [],
    truth: [],
    predicted: null,
    mse: null,
    adaptMs: null,
    frame: plotFrame(canvas),
    layout: null,
  };
  state.sinusoid = s;

  const update = () => {
    s.truth = GRID.map((x) => sinusoidValue(s.task, x));
    s.frame = plotFrame(canvas);
    if (s.points.length) {
      const { y, ms } = adaptAndPredict(model, s.points);
      [s.predicted, s.adaptMs, s.mse] = [Array.from(y), ms, meanSquaredError(y, s.truth)];
      readout.textContent = `${s.points.length} point${s.points.length > 1 ? 's' : ''} · adapted in ${ms.toFixed(2)} ms · MSE to the dashed curve ${s.mse.toFixed(3)}`;
    } else {
      [s.predicted, s.adaptMs, s.mse] = [null, null, null];
      readout.textContent = 'No points yet: click on the plot.';
    }
    root.dataset.points = String(s.points.length);
    root.dataset.adaptMs = s.adaptMs?.toFixed(3) ?? '';
    root.dataset.mse = s.mse?.toFixed(5) ?? '';
    s.layout = drawPlot(canvas, {
      grid: GRID,
      truth: s.truth,
      predicted: s.predicted ?? undefined,
      points: s.points,
    });
  };

  // Only the plot area takes points: a click on the legend, a tick label or the margin adds nothing.
  const at = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    const [frame, px, py] = [plotFrame(canvas), e.clientX - r.left, e.clientY - r.top];
    return insideFrame(frame, px, py) ? toData(frame, px, py) : null;
  };
  canvas.addEventListener('click', (e) => {
    const p = at(e);
    if (!p) return;
    s.points.push(p);
    update();
  });
  canvas.addEventListener('mousemove', (e) => {
    canvas.style.cursor = at(e) ? 'crosshair' : 'default';
  });
  document.getElementById('clear-points')!.addEventListener('click', () => {
    s.points = [];
    update();
  });
  document.getElementById('new-task')!.addEventListener('click', () => {
    s.task = sampleSinusoidTask(tasks);
    s.points = [];
    update();
  });
  window.addEventListener('resize', update);
  update();
  root.dataset.ready = 'true';
}
