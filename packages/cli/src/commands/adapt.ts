import { Command } from 'commander';
import { backendOption, selectBackend } from '../backend-select.js';
import { maxInputOption } from '../options.js';
import { loadForInference } from './load-model.js';
import { familyOptions, refuseForeignFlags } from '../families/registry.js';
import { flagGiven, flagLabel } from './flags.js';

export interface AdaptOptions {
  checkpoint: string;
  support: string;
  query?: string;
  out?: string;
  backend: string;
  [flag: string]: unknown;
}

/** Adapts the checkpoint's model to one task from its support set and writes predictions for the queries. */
export async function adaptCommand(o: AdaptOptions, cmd?: Command): Promise<void> {
  await selectBackend(o.backend);
  const { model, manifest, cli, family } = await loadForInference(o.checkpoint);
  try {
    refuseForeignFlags(
      'adapt',
      family.name,
      (k) => (cmd ? flagGiven(cmd, k) : o[k] !== undefined),
      (k) => (cmd ? flagLabel(cmd, k) : k),
    );
    await cli.adapt(model, {
      support: o.support,
      query: o.query,
      out: o.out,
      seed: manifest.train.seed,
      flags: o,
    });
  } finally {
    model.dispose();
  }
}

/** `hypermeta adapt`: its flags and help. */
export function adaptSpec(): Command {
  const cmd = new Command('adapt')
    .description(
      'adapt to one task and predict: sinusoid from a CSV of support points (x,y); omniglot from support/<label>/<images> folders',
    )
    .requiredOption('-c, --checkpoint <dir>', 'checkpoint or run folder')
    .requiredOption(
      '--support <path>',
      'the support set: CSV with header x,y (sinusoid), or a folder with one sub-folder of images per label (omniglot)',
    )
    .option(
      '--query <path>',
      'CSV with header x (sinusoid; default 101 points over [-5, 5]), or a folder of images to label (omniglot)',
    )
    .option(
      '-o, --out <file>',
      'where to write the predictions: x,y (sinusoid) or file,label,score (omniglot); default stdout',
    )
    .addOption(backendOption())
    .addOption(maxInputOption());
  for (const opt of familyOptions('adapt').options) cmd.addOption(opt);
  return cmd.action((o, c: Command) => adaptCommand(o, c));
}
