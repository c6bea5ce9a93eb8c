import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { InvalidArgumentError } from '@hypermeta/core';
import { backendOption, selectBackend } from '../backend-select.js';
import { dynamicsControl, formatControlRow } from '../families/dynamics/control-command.js';
import type { ControlFlags } from '../families/dynamics/control-command.js';
import { intArg, numArg, parseDecimal } from '../options.js';
import { loadForInference } from './load-model.js';
import type { DynamicsModel } from '@hypermeta/core';

export interface ControlOptions extends ControlFlags {
  checkpoint: string;
  seed?: number;
  json?: boolean;
  backend: string;
}

/** Runs model-predictive control with a checkpoint's dynamics model and prints a row per planning model. */
export async function controlCommand(o: ControlOptions): Promise<void> {
  const backend = await selectBackend(o.backend);
  const { manifest, family, model, dir } = await loadForInference(o.checkpoint);
  try {
    if (family.name !== 'dynamics')
      throw new InvalidArgumentError(
        `control needs a dynamics model; ${o.checkpoint} holds a ${family.name} model`,
      );
    // Default seed = the training seed: its evaluation stream never meets a training variation.
    const seed = o.seed ?? manifest.train.seed;
    const rows = await dynamicsControl(model as DynamicsModel, o, seed);
    for (const r of rows)
      process.stdout.write(
        (o.json
          ? JSON.stringify({ ...r, backend, seed, step: manifest.state.step, checkpoint: dir })
          : formatControlRow(r)) + '\n',
      );
  } finally {
    model.dispose();
  }
}

/** A motor's strength after the change: a number in [0, 1) (1 would be no change). */
function strengthArg(v: string): number {
  const s = parseDecimal(v);
  if (!(s >= 0 && s < 1)) throw new CommanderArgError('must be a number ≥ 0 and < 1');
  return s;
}

/** `hypermeta control`: its flags and help. */
export function controlSpec(): Command {
  return new Command('control')
    .description(
      'model-predictive control (CEM) with a dynamics checkpoint on held-out variations, adapting online, with a change of dynamics halfway',
    )
    .requiredOption('-c, --checkpoint <dir>', 'dynamics checkpoint or run folder')
    .option('--env <name>', "the environment (default the checkpoint's; must be it)")
    .addOption(
      new Option('--control-task <name>', 'swingup (pendulum, cart-pole) or run (cheetah)').choices([
        'swingup',
        'run',
      ]),
    )
    .option('--episodes <n>', 'held-out episodes', intArg(1, 10_000), 5)
    .option(
      '--steps <n>',
      "episode length in steps (default the task's: 8 s swing-up, 4 s run)",
      intArg(1, 1_000_000),
    )
    .option(
      '-s, --seed <s>',
      'seed of the variations, starts and planner (default the training seed)',
      intArg(-2147483648),
    )
    .option('--context <k>', "transitions the model adapts from (default the model's K)", intArg(1, 10_000))
    .option('--adapt-every <n>', 'regenerate the adapted model every n steps', intArg(1, 1_000_000), 1)
    .option('--horizon <h>', 'planned steps ahead (default 30)', intArg(1, 10_000))
    .option('--candidates <n>', 'action sequences per CEM iteration (default 200)', intArg(2, 1_000_000))
    .option('--iterations <n>', 'CEM iterations per step (default 4)', intArg(1, 1000))
    .option(
      '--elites <n>',
      'sequences CEM refits to (default candidates/10, at most 20)',
      intArg(1, 1_000_000),
    )
    .addOption(
      new Option(
        '--change <kind>',
        "the change halfway: mass (a payload), motor (one disabled or weakened) or none (default the task's)",
      ).choices(['mass', 'motor', 'none']),
    )
    .option('--change-factor <f>', 'mass multiplier of --change mass', numArg(0), 2)
    .option(
      '--change-body <i>',
      'body index (0 = first body after the world) of --change mass',
      intArg(0, 100_000),
    )
    .option('--change-motor <j>', 'actuator index of --change motor', intArg(0, 100_000))
    .option(
      '--change-strength <s>',
      'fraction of its gear the motor keeps after --change motor, in [0, 1) (default 0: disabled)',
      strengthArg,
    )
    .option(
      '--range <a>',
      "held-out variations' exponents in [−a, a] (default the training range)",
      numArg(0, 50),
    )
    .option('--ceiling', 'also plan with the true simulator as the model (the ceiling)')
    .option('--ceiling-only', "plan with the true simulator only (not the checkpoint's model)")
    .option('--suite-dir <dir>', "folder of dm_control suite MJCF files, when the model's has moved")
    .option('--model-xml <file>', "the model's MJCF file, when it has moved")
    .addOption(backendOption())
    .option('--json', 'print one JSON object per planning model')
    .action((o: ControlOptions) => controlCommand(o));
}
