import { Command } from 'commander';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '@hypermeta/core';
import { backendOption, selectBackend } from '../backend-select.js';
import { listCheckpoints } from '../io/checkpoint-dir.js';
import { intArg } from '../options.js';
import { plotControl, plotRollouts, type RolloutPlotOptions } from '../plot/dynamics-plot.js';
import { figureFormat, writeFigureFile } from '../plot/figure-file.js';
import { learningCurvesSpec } from '../plot/learning-curves.js';
import { readRunMetrics } from '../plot/run-metrics.js';
import { loadForInference } from './load-model.js';

/** The command's flags: the rollout figure's own options (dynamics-plot.ts) and the rest. */
export interface PlotOptions extends Omit<RolloutPlotOptions, 'rollouts'> {
  run?: string;
  adapt: boolean;
  tasks: number;
  shots: number;
  backend: string;
  /** Dynamics runs: predicted vs true open-loop rollouts instead of learning curves. */
  rollouts?: string[];
  /** Saved `control --json` outputs: returns per model and reward around the change. */
  control?: string[];
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
  const modes = [o.run && '--run', o.rollouts && '--rollouts', o.control && '--control'].filter(Boolean);
  if (modes.length !== 1)
    throw new InvalidArgumentError(
      modes.length ? `${modes.join(' and ')}: give one of them` : 'give --run, --rollouts or --control',
    );
  if (o.rollouts || o.control) {
    if (o.rollouts) await selectBackend(o.backend);
    const paths = o.rollouts
      ? await plotRollouts({ ...o, rollouts: o.rollouts })
      : await plotControl(o.control!, o.out);
    for (const path of paths) process.stdout.write(`wrote ${path}\n`);
    return;
  }
  const runDir = resolve(o.run!);
  const metrics = readRunMetrics(runDir);
  await writeFigureFile(o.out, learningCurvesSpec(metrics, o.run!));
  process.stdout.write(`wrote ${o.out}\n`);
  if (o.adapt) await familyFigures(o, runDir);
}

/** `hypermeta plot`: its flags and help. */
export function plotSpec(): Command {
  return new Command('plot')
    .description(
      "plot a run: learning curves from metrics.jsonl, and the family's own figures (sinusoid: adaptation, FILE-adapt.EXT); " +
        'or dynamics rollouts (--rollouts) or control results (--control)',
    )
    .option('-r, --run <dir>', 'run folder (holds metrics.jsonl and checkpoints/)')
    .requiredOption('-o, --out <file>', 'image file, .svg or .png')
    .option('--no-adapt', "skip the family's figures")
    .option('--tasks <n>', 'tasks in the adaptation figure', intArg(1, 12), 3)
    .option('--shots <k>', 'support points per task in the adaptation figure', intArg(1, 1000), 5)
    .option('--rollouts <runs...>', 'instead of -r: predicted vs true open-loop rollouts of dynamics runs')
    .option('--variations <n>', 'held-out variations in the rollout figure', intArg(1, 12), 3)
    .option('--horizon <h>', 'open-loop steps in the rollout figure', intArg(1, 10_000), 30)
    .option(
      '--dims <list>',
      'state values in the rollout figure, e.g. 0,1 (default the first 4)',
      (v: string) => v.split(',').map((x) => intArg(0, 255)(x)),
    )
    .option(
      '--context <k>',
      "transitions the rollout models adapt from (default each model's K)",
      intArg(1, 10_000),
    )
    .option(
      '--suite-dir <dir>',
      "rollouts: folder of dm_control suite MJCF files, when the model's has moved",
    )
    .option('--model-xml <file>', "rollouts: the model's MJCF file, when it has moved")
    .option(
      '--control <files...>',
      'instead of -r: saved `control --json` outputs: returns per model (FILE) and reward around the change (FILE-recovery)',
    )
    .addOption(backendOption())
    .action((o) => plotCommand(o));
}
