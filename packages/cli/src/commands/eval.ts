import { Command } from 'commander';
import { checkMemory, type EvalSummary, InvalidArgumentError } from '@hypermeta/core';
import { backendOption, memoryLimit, selectBackend } from '../backend-select.js';
import { familyOptions, refuseForeignFlags } from '../families/registry.js';
import { countOrVariable, intArg, maxInputOption } from '../options.js';
import { flagGiven, flagLabel } from './flags.js';
import { loadForInference } from './load-model.js';

export interface EvalOptions {
  checkpoint: string;
  shots?: number | 'variable';
  queries?: number;
  seed?: number;
  backend: string;
  json?: boolean;
  [flag: string]: unknown;
}

export async function evalCommand(o: EvalOptions, cmd?: Command): Promise<void> {
  const backend = await selectBackend(o.backend);
  const loaded = await loadForInference(o.checkpoint);
  const { manifest, dir, family, cli, model } = loaded;
  try {
    refuseForeignFlags(
      'eval',
      family.name,
      (k) => (cmd ? flagGiven(cmd, k) : o[k] !== undefined),
      (k) => (cmd ? flagLabel(cmd, k) : k),
    );
    if (o.shots === 'variable' && !cli.variableShots)
      throw new InvalidArgumentError(`--shots variable is not a setting of ${family.name}: give a number`);
    // Default seed = the training seed: the eval stream is then provably disjoint from training's.
    const seed = o.seed ?? manifest.train.seed;
    await cli.prepareModel?.(model);
    let summary: EvalSummary | undefined = await cli.evalOwnData?.(model, o, seed);
    let fields: Record<string, unknown> = {};
    if (!summary) {
      const options = cli.evalOptions(model, o, seed);
      const bytes = family.evalBytes?.(model.config, options);
      if (bytes !== undefined)
        checkMemory(
          bytes,
          memoryLimit(backend),
          'this evaluation',
          'lower --ways, --shots, --queries or --tasks',
        );
      const data = await cli.loadData(model.config, o);
      summary = family.evaluate(model, data, options);
      fields = cli.evalFields?.(data) ?? {};
    }
    const { method, task } = model.config;
    if (o.json) {
      const result = {
        task,
        method,
        metric: summary.metric,
        [summary.metric]: summary.value,
        ci95: summary.ci95,
        ...fields,
        ...summary.figures,
        backend,
        seed,
        step: manifest.state.step,
        checkpoint: dir,
      };
      process.stdout.write(JSON.stringify(result) + '\n');
    } else {
      process.stdout.write(cli.formatEval(summary, o, { backend, method }) + '\n');
    }
  } finally {
    model.dispose();
  }
}

/** `hypermeta eval`: the common flags, then each family's own under its heading. */
export function evalSpec(): Command {
  const cmd = new Command('eval')
    .description('evaluate a checkpoint on new tasks that training never saw')
    .requiredOption('-c, --checkpoint <dir>', 'checkpoint or run folder (its newest checkpoint)')
    .option(
      '-k, --shots <k>',
      "support examples per task, per class for classification (default: the family's); image domains: variable (Meta-Dataset's imbalanced shots)",
      countOrVariable(1, 10_000),
    )
    .option(
      '-q, --queries <q>',
      "query examples per task, per class for classification (default: the family's)",
      intArg(1, 100_000),
    )
    .option(
      '-s, --seed <s>',
      'evaluation seed (default: the training seed, whose eval stream never meets training)',
      intArg(-2147483648),
    )
    .addOption(backendOption())
    .addOption(maxInputOption())
    .option('--json', 'print one JSON object');
  for (const opt of familyOptions('eval').options) cmd.addOption(opt);
  return cmd.action((o, c: Command) => evalCommand(o, c));
}
