import { Command } from 'commander';
import { resolve } from 'node:path';
import { DataError, HypernetModel } from '@hypermeta/core';
import { backendOption, selectBackend } from '../backend-select.js';
import { listCheckpoints } from '../io/checkpoint-dir.js';
import { intArg } from '../options.js';
import { figureFormat, withSuffix, writeFigure } from '../plot/figure-file.js';
import { learningCurvesSpec } from '../plot/learning-curves.js';
import { readRunMetrics } from '../plot/run-metrics.js';
import { adaptationSpec, adaptSinusoidTasks } from '../plot/sinusoid-adaptation.js';
import { loadForInference } from './load-model.js';

export interface PlotOptions {
  run: string;
  out: string;
  adapt: boolean;
  tasks: number;
  shots: number;
  backend: string;
}

async function write(path: string, spec: Parameters<typeof writeFigure>[1]): Promise<void> {
  try {
    await writeFigure(path, spec);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new DataError(`${path}: cannot write (${code})`);
    throw e;
  }
  process.stdout.write(`wrote ${path}\n`);
}

/** The adaptation figure, for a sinusoid run with a checkpoint; says why when there is none. */
async function adaptationFigure(o: PlotOptions, runDir: string): Promise<void> {
  if (listCheckpoints(runDir).length === 0) {
    process.stdout.write(`no adaptation figure: ${o.run} holds no checkpoint\n`);
    return;
  }
  await selectBackend(o.backend);
  const { model, manifest, dir } = await loadForInference(runDir);
  try {
    if (!(model instanceof HypernetModel)) {
      process.stdout.write(`no adaptation figure: it is drawn for sinusoid runs, this one is '${model.config.task}'\n`);
      return;
    }
    const adapted = adaptSinusoidTasks(model, { tasks: o.tasks, shots: o.shots, seed: manifest.train.seed });
    const title = `${o.shots}-shot adaptation, step ${manifest.state.step} (${dir.split(/[\\/]/).pop()}), tasks training never saw`;
    await write(withSuffix(o.out, '-adapt'), adaptationSpec(adapted, title));
  } finally {
    model.dispose();
  }
}

export async function plotCommand(o: PlotOptions): Promise<void> {
  figureFormat(o.out); // an unknown extension fails before any work
  const runDir = resolve(o.run);
  const metrics = readRunMetrics(runDir);
  await write(o.out, learningCurvesSpec(metrics, o.run));
  if (o.adapt) await adaptationFigure(o, runDir);
}

/** `hypermeta plot`: its flags and help. */
export function plotSpec(): Command {
  return new Command('plot')
    .description('plot a run: learning curves from metrics.jsonl; for sinusoid runs also an adaptation figure (FILE-adapt.EXT)')
    .requiredOption('--run <dir>', 'run folder (holds metrics.jsonl and checkpoints/)')
    .requiredOption('--out <file>', 'image file, .svg or .png')
    .option('--no-adapt', 'skip the adaptation figure')
    .option('--tasks <n>', 'tasks in the adaptation figure', intArg(1, 12), 3)
    .option('--shots <k>', 'support points per task in the adaptation figure', intArg(1, 1000), 5)
    .addOption(backendOption())
    .action((o) => plotCommand(o));
}
