import { Command, Option } from 'commander';
import { backendOption } from '../backend-select.js';
import { intArg } from '../options.js';
import { evaluateSinusoid, FewShotModel } from '@hypermeta/core';
import { evalOmniglot } from './eval-omniglot.js';
import { selectBackend } from '../backend-select.js';
import { asSinusoid, loadForInference } from './load-model.js';

export interface EvalOptions {
  checkpoint: string;
  tasks: number;
  shots?: number;
  queries?: number;
  episodes: number;
  ways: number;
  dataDir?: string;
  cacheDir?: string;
  episodesDir?: string;
  withinAlphabet?: boolean;
  seed?: number;
  backend: string;
  json?: boolean;
}

export async function evalCommand(o: EvalOptions): Promise<void> {
  const backend = await selectBackend(o.backend);
  const loaded = await loadForInference(o.checkpoint);
  const { manifest, dir } = loaded;
  // Default seed = the training seed: the eval stream is then provably disjoint from training's.
  const seed = o.seed ?? manifest.train.seed;
  if (loaded.model instanceof FewShotModel) {
    const fm = loaded.model;
    try {
      const r = await evalOmniglot(fm, { episodes: o.episodes, ways: o.ways, shots: o.shots ?? 1, queries: o.queries ?? 5, seed, dataDir: o.dataDir, cacheDir: o.cacheDir, episodesDir: o.episodesDir, withinAlphabet: o.withinAlphabet });
      const result = { task: 'omniglot', method: fm.config.method, ...r, backend, seed, step: manifest.state.step, checkpoint: dir };
      if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
      else {
        const what = o.episodesDir ? `${r.episodes} episode folder(s)` : `${r.episodes} episodes, ${r.ways}-way ${r.shots}-shot${o.withinAlphabet ? " within one alphabet" : ""}`;
        process.stdout.write(`${what}: accuracy ${(100 * (r.accuracy as number)).toFixed(2)}% ± ${(100 * (r.ci95 as number)).toFixed(2)} (95% CI), ${fm.config.method}, backend ${backend}\n`);
      }
    } finally {
      fm.dispose();
    }
    return;
  }
  const model = asSinusoid(loaded.model, 'eval --tasks');
  const shots = o.shots ?? 5;
  const queries = o.queries ?? 100;
  const r = evaluateSinusoid(model, { tasks: o.tasks, shots, queries, seed });
  model.dispose();
  const result = {
    task: manifest.model.task,
    method: manifest.model.method,
    conditioning: model.config.conditioning,
    generator: model.config.generator.kind,
    innerSteps: model.config.inner.steps,
    shots: r.shots,
    tasks: r.tasks,
    queries,
    mse: r.mse,
    ci95: r.ci95,
    backend,
    adaptMsPerTask: r.adaptMsPerTask,
    adaptMsSingleTask: r.adaptMsSingleTask,
    seed,
    step: manifest.state.step,
    checkpoint: dir,
  };
  if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    process.stdout.write(
      `${result.tasks} tasks, ${result.shots}-shot: MSE ${r.mse.toFixed(4)} ± ${r.ci95.toFixed(4)} (95% CI), ` +
        `adaptation ${r.adaptMsPerTask.toFixed(4)} ms/task batched, ${r.adaptMsSingleTask.toFixed(3)} ms for one task, backend ${backend}\n`,
    );
  }
}

/** `hypermeta eval`: its flags and help. */
export function evalSpec(): Command {
  return new Command('eval')
    .description('evaluate a checkpoint on new tasks that training never saw')
    .requiredOption('--checkpoint <dir>', 'checkpoint or run folder (its newest checkpoint)')
    .option('--tasks <n>', 'sinusoid: number of evaluation tasks', intArg(1, 10_000_000), 1000)
    .option('--shots <k>', 'support examples per task, per class on omniglot (default 5 sinusoid, 1 omniglot)', intArg(1, 10_000))
    .option('--queries <q>', 'query points per task (default 100), or query images per class on omniglot (default 5)', intArg(1, 100_000))
    .option('--episodes <n>', 'omniglot: episodes to sample from the held-out alphabets', intArg(1, 1_000_000), 600)
    .option('--ways <n>', 'omniglot: classes per episode', intArg(2, 10_000), 5)
    .option('--within-alphabet', 'omniglot: draw each episode\'s classes from one held-out alphabet (default: across them)')
    .option('--episodes-dir <dir>', 'omniglot: evaluate your own episode folders (support/<label>/…, query/<label>/…) instead')
    .option('--data-dir <dir>', 'omniglot: the data folder (default: the one training used)')
    .option('--cache-dir <dir>', 'omniglot: decoded-image cache (default ~/.cache/hypermeta)')
    .option('--seed <s>', 'evaluation seed (default: the training seed, whose eval stream never meets training)', intArg(-2147483648))
    .addOption(backendOption())
    .option('--json', 'print one JSON object')
    .action((o) => evalCommand(o));
}
