import { Command, Option } from 'commander';
import { backendOption } from '../backend-select.js';
import { intArg } from '../options.js';
import { evaluateSinusoid } from '@hypermeta/core';
import { selectBackend } from '../backend-select.js';
import { asSinusoid, loadForInference } from './load-model.js';

export interface EvalOptions {
  checkpoint: string;
  tasks: number;
  shots: number;
  queries: number;
  seed?: number;
  backend: string;
  json?: boolean;
}

export async function evalCommand(o: EvalOptions): Promise<void> {
  const backend = await selectBackend(o.backend);
  const loaded = await loadForInference(o.checkpoint);
  const { manifest, dir } = loaded;
  const model = asSinusoid(loaded.model, 'eval --tasks');
  // Default seed = the training seed: the eval stream is then provably disjoint from training's.
  const seed = o.seed ?? manifest.train.seed;
  const r = evaluateSinusoid(model, { tasks: o.tasks, shots: o.shots, queries: o.queries, seed });
  model.dispose();
  const result = {
    task: manifest.model.task,
    method: manifest.model.method,
    conditioning: model.config.conditioning,
    generator: model.config.generator.kind,
    innerSteps: model.config.inner.steps,
    shots: r.shots,
    tasks: r.tasks,
    queries: o.queries,
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
    .option('--tasks <n>', 'number of evaluation tasks', intArg(1, 10_000_000), 1000)
    .option('--shots <k>', 'support points per task', intArg(1, 10_000), 5)
    .option('--queries <q>', 'query points per task at which MSE is measured', intArg(1, 100_000), 100)
    .option('--seed <s>', 'evaluation seed (default: the training seed, whose eval stream never meets training)', intArg(-2147483648))
    .addOption(backendOption())
    .option('--json', 'print one JSON object')
    .action((o) => evalCommand(o));
}
