import { Command } from 'commander';
import { resolve } from 'node:path';
import { backendOption, selectBackend } from '../backend-select.js';
import { listCheckpoints } from '../io/checkpoint-dir.js';
import { intArg } from '../options.js';
import { figureFormat, writeFigureFile } from '../plot/figure-file.js';
import { learningCurvesSpec } from '../plot/learning-curves.js';
import { readRunMetrics } from '../plot/run-metrics.js';
import { loadForInference } from './load-model.js';

export interface PlotOptions {
  run: string;
  out: string;
  adapt: boolean;
  tasks: number;
  shots: number;
  backend: string;
}

/** The family's own figures of the run's newest checkpoint; says why when there are none. */
async function familyFigures(o: PlotOptions, runDir: string): Promise<void> {
  if (listCheckpoints(runDir).length === 0) {
    process.stdout.write(`no adaptation figure: ${o.run} holds no checkpoint\n`);
    return;
  }
  await selectBackend(o.backend);
  const { model, manifest, dir, cli, family } = await loadForInference(runDir);
  try {
    if (!cli.plotFigures) {
      process.stdout.write(`no adaptation figure: the ${family.name} family draws none\n`);
      return;
    }
    for (const path of await cli.plotFigures(model, manifest, dir, o))
      process.stdout.write(`wrote ${path}\n`);
  } finally {
    model.dispose();
  }
}

export async function plotCommand(o: PlotOptions): Promise<void> {
  figureFormat(o.out); // an unknown extension fails before any work
  const runDir = resolve(o.run);
  const metrics = readRunMetrics(runDir);
  await writeFigureFile(o.out, learningCurvesSpec(metrics, o.run));
  process.stdout.write(`wrote ${o.out}\n`);
  if (o.adapt) await familyFigures(o, runDir);
}

/** `hypermeta plot`: its flags and help. */
export function plotSpec(): Command {
  return new Command('plot')
    .description(
      "plot a run: learning curves from metrics.jsonl, and the family's own figures (sinusoid: adaptation, FILE-adapt.EXT)",
    )
    .requiredOption('-r, --run <dir>', 'run folder (holds metrics.jsonl and checkpoints/)')
    .requiredOption('-o, --out <file>', 'image file, .svg or .png')
    .option('--no-adapt', "skip the family's figures")
    .option('--tasks <n>', 'tasks in the adaptation figure', intArg(1, 12), 3)
    .option('--shots <k>', 'support points per task in the adaptation figure', intArg(1, 1000), 5)
    .addOption(backendOption())
    .action((o) => plotCommand(o));
}
