import { cpus, loadavg } from 'node:os';
import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { formatReport, targets } from '../bench/report.js';
import { type BenchOptions, runBench } from '../bench/run-bench.js';
import { backendOption, selectBackend } from '../backend-select.js';
import { intArg, numArg } from '../options.js';
import { HypernetModel, InvalidArgumentError } from '@hypermeta/core';
import { loadForInference } from './load-model.js';

/** A trained regression hypernetwork for section a, or why this checkpoint is not one. */
async function benchModel(path: string): Promise<HypernetModel> {
  const { model } = await loadForInference(path);
  if (model instanceof HypernetModel) return model;
  model.dispose();
  throw new InvalidArgumentError(`bench --checkpoint needs a regression hypernetwork checkpoint; this one is for task '${model.config.task}'`);
}

type Flags = Omit<BenchOptions, 'model'> & { checkpoint?: string; json?: boolean };

function metaBatchList(v: string): number[] {
  const list = v.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1 || n > 4096)) throw new CommanderArgError('must be a comma-separated list of integers from 1 to 4096');
  return list;
}

export async function benchCommand(o: Flags): Promise<void> {
  const backend = await selectBackend(o.backend);
  const model = o.checkpoint && o.task !== 'omniglot' ? await benchModel(o.checkpoint) : undefined;
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.versions.node, platform: `${process.platform}-${process.arch}`, loadAverage: loadavg() };
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const report = await runBench({ ...o, backend, model }, machine, log);
  if (o.json) process.stdout.write(JSON.stringify({ ...report, targets: targets(report) }) + '\n');
  else process.stdout.write(formatReport(report));
}

/** `hypermeta bench`: its flags and help. Size flags exist so tests (and quick looks) stay short. */
export function benchSpec(): Command {
  return new Command('bench')
    .description('measure adaptation latency, meta-training throughput, backends, compute efficiency and memory, side by side')
    .addOption(new Option('--task <task>', 'which benchmarks: sinusoid (a, b, c, e), omniglot (conv4: c, d) or all').choices(['sinusoid', 'omniglot', 'all']).default('all'))
    .addOption(backendOption())
    .option('--checkpoint <dir>', 'measure this trained sinusoid model instead of meta-training one in the bench')
    .option('--train-seconds <s>', 'wall time to meta-train the hypernetwork when no --checkpoint', numArg(0), 30)
    .option('--fomaml-seconds <s>', 'wall time to meta-train the fine-tuning baseline\'s init', numArg(0), 20)
    .option('--adapt-tasks <n>', 'tasks adapted one at a time per method', intArg(2, 100_000), 100)
    .option('--shots <k>', 'support points per task', intArg(1, 10_000), 5)
    .option('--fine-tune-steps <k>', 'SGD steps of the fine-tuning baseline', intArg(1, 100_000), 10)
    .option('--scratch-tasks <n>', 'tasks trained from scratch', intArg(1, 100_000), 5)
    .option('--scratch-cap <n>', 'step cap of training from scratch', intArg(1, 1_000_000), 2000)
    .option('--batch-tasks <n>', 'tasks adapted in one batch', intArg(1, 1_000_000), 1000)
    .option('--meta-batches <list>', 'meta-batch sizes for throughput', metaBatchList, [1, 4, 16, 64])
    .option('--measure-ms <ms>', 'minimum wall time per throughput figure', intArg(1, 600_000), 3000)
    .option('--compare-meta-batch <T>', 'meta-batch of the cross-backend comparison', intArg(1, 4096), 16)
    .option('--backends <list>', 'backends section c compares (comma-separated; default every registered one)', (v: string) => v.split(',').map((s) => s.trim()))
    .option('--compare-ways <n>', 'ways of the conv4 episode run on every backend (2 images per class)', intArg(2, 1000), 5)
    .option('--ways <n>', 'classes of the conv4 episode', intArg(2, 1000), 20)
    .option('--queries-per-class <n>', 'query images per class in the conv4 episode (plus 1 support)', intArg(1, 1000), 5)
    .option('--conv-reps <n>', 'timed conv4 steps after three untimed, each followed by the matMul it is compared with (median)', intArg(1, 1000), 7)
    .option('--matmul-size <n>', 'size n of the n×n×n matMul that gives the practical peak', intArg(8, 8192), 1024)
    .option('--mem-steps <n>', 'meta-steps of the memory check', intArg(1, 10_000_000), 1000)
    .option('--mem-meta-batch <T>', 'meta-batch of the memory check', intArg(1, 4096), 16)
    .option('--seed <s>', 'seed', intArg(-2147483648), 1)
    .option('--json', 'print one JSON object')
    .action((o) => benchCommand(o));
}
