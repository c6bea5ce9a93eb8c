import { Command } from 'commander';
import { backendOption, selectBackend } from '../backend-select.js';
import { maxInputOption } from '../options.js';
import { loadForInference } from './load-model.js';
import { familyOptions, refuseForeignFlags } from '../families/registry.js';
import { flagGiven, flagLabel } from './flags.js';
import { exportNetwork, InvalidArgumentError } from '@hypermeta/core';
import { checkExportDir, writeExportDir } from '../export/export-dir.js';
import { exportSummary } from '../export/export-report.js';
import { cliVersion } from '../version.js';

export interface AdaptOptions {
  checkpoint: string;
  support: string;
  query?: string;
  out?: string;
  export?: string;
  force?: boolean;
  backend: string;
  [flag: string]: unknown;
}

/** Adapts the checkpoint's model to one task from its support set and writes predictions for the queries. */
export async function adaptCommand(o: AdaptOptions, cmd?: Command): Promise<void> {
  if (o.export) checkExportDir(o.export, o.force === true);
  await selectBackend(o.backend);
  const { model, manifest, cli, family } = await loadForInference(o.checkpoint);
  try {
    refuseForeignFlags(
      'adapt',
      family.name,
      (k) => (cmd ? flagGiven(cmd, k) : o[k] !== undefined),
      (k) => (cmd ? flagLabel(cmd, k) : k),
    );
    const network = await cli.adapt(model, {
      support: o.support,
      query: o.query,
      out: o.out,
      seed: manifest.train.seed,
      flags: o,
      exportNetwork: o.export !== undefined,
    });
    if (o.export) {
      if (!network)
        throw new InvalidArgumentError(`${family.name} models cannot export their adapted network`);
      const exported = exportNetwork(network, `hypermeta ${cliVersion()}`);
      writeExportDir(o.export, exported.files, o.force === true);
      process.stderr.write(`${exportSummary(o.export, exported)}\n`);
    }
  } finally {
    model.dispose();
  }
}

/** `hypermeta adapt`: its flags and help. */
export function adaptSpec(): Command {
  const cmd = new Command('adapt')
    .description(
      'adapt to one task and predict: sinusoid from a CSV of support points (x,y); omniglot from support/<label>/<images> folders; language from support/<label>/<file>.txt folders; dynamics from a CSV of transitions',
    )
    .requiredOption('-c, --checkpoint <dir>', 'checkpoint or run folder')
    .requiredOption(
      '--support <path>',
      'the support set: CSV with header x,y (sinusoid) or of transitions (dynamics), or a folder with one sub-folder per label of images (omniglot) or of .txt files (language)',
    )
    .option(
      '--query <path>',
      'CSV with header x (sinusoid; default 101 points over [-5, 5]), a folder of images to label (omniglot), a text file or folder of them whose lines are labelled (language), or a CSV of states and actions (dynamics)',
    )
    .option(
      '-o, --out <file>',
      'where to write the predictions: x,y (sinusoid), file,label,score (omniglot), text,label,score (language) or predicted next states (dynamics); default stdout',
    )
    .option(
      '--export <dir>',
      'also write the adapted network to run without hypermeta: model.json + weights (tfjs-layers), model.onnx, labels.json (docs/EXPORT.md)',
    )
    .option('--force', 'replace a non-empty --export folder')
    .addOption(backendOption())
    .addOption(maxInputOption());
  for (const opt of familyOptions('adapt').options) cmd.addOption(opt);
  return cmd.action((o, c: Command) => adaptCommand(o, c));
}
