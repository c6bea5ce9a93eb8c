import { InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { defaultTrainConfig, HypernetModel, InvalidArgumentError, sinusoidFamily } from '@hypermeta/core';
import { f, table, type Target } from '../../../bench/report.js';
import type { BenchReport } from '../../../bench/run-bench.js';
import { intArg, numArg } from '../../../options.js';
import type { BenchOptions, FamilyBench } from '../../cli-family.js';
import { type AdaptationResult, adaptationBench } from './adaptation.js';
import { type MemoryResult, memoryBench } from './memory.js';
import { batchedTasksPerS, newSinusoidTrainer, type ThroughputRow, throughputTable } from './throughput.js';

/** Sinusoid's bench flags. */
interface SinusoidBenchOptions extends BenchOptions {
  trainSeconds: number;
  fomamlSeconds: number;
  adaptTasks: number;
  shots: number;
  fineTuneSteps: number;
  scratchTasks: number;
  scratchCap: number;
  batchTasks: number;
  metaBatches: number[];
  /** Minimum wall time per throughput measurement, ms. */
  measureMs: number;
  compareMetaBatch: number;
  memSteps: number;
  memMetaBatch: number;
}

/** The report fields sinusoid adds. */
interface SinusoidReport extends BenchReport {
  hypernetSource?: string;
  adaptation?: AdaptationResult;
  throughput?: ThroughputRow[];
  compareMetaBatch?: number;
  memory?: MemoryResult;
}

function metaBatchList(v: string): number[] {
  const list = v.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1 || n > 4096))
    throw new CommanderArgError('must be a comma-separated list of integers from 1 to 4096');
  return list;
}

const flags = () => [
  new Option('--train-seconds <s>', 'wall time to meta-train the hypernetwork when no --checkpoint')
    .argParser(numArg(0))
    .default(30),
  new Option('--fomaml-seconds <s>', "wall time to meta-train the fine-tuning baseline's init")
    .argParser(numArg(0))
    .default(20),
  new Option('--adapt-tasks <n>', 'tasks adapted one at a time per method')
    .argParser(intArg(2, 100_000))
    .default(100),
  new Option('--shots <k>', 'support points per task').argParser(intArg(1, 10_000)).default(5),
  new Option('--fine-tune-steps <k>', 'SGD steps of the fine-tuning baseline')
    .argParser(intArg(1, 100_000))
    .default(10),
  new Option('--scratch-tasks <n>', 'tasks trained from scratch').argParser(intArg(1, 100_000)).default(5),
  new Option('--scratch-cap <n>', 'step cap of training from scratch')
    .argParser(intArg(1, 1_000_000))
    .default(2000),
  new Option('--batch-tasks <n>', 'tasks adapted in one batch').argParser(intArg(1, 1_000_000)).default(1000),
  new Option('--meta-batches <list>', 'meta-batch sizes for throughput')
    .argParser(metaBatchList)
    .default([1, 4, 16, 64]),
  new Option('--measure-ms <ms>', 'minimum wall time per throughput figure')
    .argParser(intArg(1, 600_000))
    .default(3000),
  new Option('--compare-meta-batch <T>', 'meta-batch of the cross-backend comparison')
    .argParser(intArg(1, 4096))
    .default(16),
  new Option('--mem-steps <n>', 'meta-steps of the memory check')
    .argParser(intArg(1, 10_000_000))
    .default(1000),
  new Option('--mem-meta-batch <T>', 'meta-batch of the memory check').argParser(intArg(1, 4096)).default(16),
];

/** Meta-trains the default sinusoid hypernetwork for about `seconds` (cosine schedule sized to fit). */
export function trainForSeconds(
  seconds: number,
  seed: number,
): { model: HypernetModel; steps: number; seconds: number } {
  // Size the schedule from the rate of 10 steps (after 3 warm-up steps) of a throwaway model.
  const stepsPerS =
    batchedTasksPerS(32, seed, { minMs: 0 }, sinusoidFamily.defaultModelConfig('hypernet'), 10) / 32;
  const steps = Math.max(10, Math.floor(seconds * stepsPerS));
  const model = new HypernetModel(sinusoidFamily.defaultModelConfig('hypernet'), seed);
  const trainer = newSinusoidTrainer(model, { ...defaultTrainConfig(), steps, seed });
  const t0 = performance.now();
  while (trainer.step < steps && performance.now() - t0 < seconds * 1000) trainer.runStep();
  const done = trainer.step;
  trainer.dispose();
  return { model, steps: done, seconds: (performance.now() - t0) / 1000 };
}

function format(r: SinusoidReport): Record<string, string> {
  const out: Record<string, string> = {};
  const a = r.adaptation;
  if (a) {
    out.a = [
      `a. adaptation on ${a.tasks} fresh ${a.shots}-shot sinusoid tasks, one at a time (hypernet: ${r.hypernetSource})`,
      table(
        ['method', 'median ms/task', 'query MSE', 'vs hypernet'],
        [
          ['hypernet (encoder, no gradient steps)', f(a.hypernet.msPerTask, 3), f(a.hypernet.mse, 4), '1×'],
          [
            `fine-tune ${a.fineTune.steps} SGD steps from ${a.fineTune.init}`,
            f(a.fineTune.msPerTask, 2),
            f(a.fineTune.mse, 4),
            `${f(a.fineTuneOverHypernet)}×`,
          ],
          [
            `fine-tune, Adam, same init, until hypernet MSE or cap (median ${a.fineTuneToTarget.steps} steps; ${a.fineTuneToTarget.reachedTarget}/${a.fineTuneToTarget.tasks} reached it)`,
            f(a.fineTuneToTarget.msPerTask, 1),
            f(a.fineTuneToTarget.mse, 4),
            `${f(a.fineTuneToTargetOverHypernet, 0)}×`,
          ],
          [
            `from scratch, Adam, until hypernet MSE or cap (median ${a.scratch.steps} steps; ${a.scratch.reachedTarget}/${a.scratch.tasks} reached it)`,
            f(a.scratch.msPerTask, 1),
            f(a.scratch.mse, 4),
            `${f(a.scratchOverHypernet, 0)}×`,
          ],
        ],
      ),
      `one task alone (singleTaskLatency, 10 query points): ${f(a.singleTaskMs, 3)} ms; ${a.batchTasks} tasks in one batch: ${f(a.batchUsPerTask)} µs/task`,
    ].join('\n');
  }
  if (r.throughput) {
    out.b = [
      'b. meta-training throughput (tasks/s), batched meta-step vs per-task loop',
      table(
        ['T', 'batched', 'per-task loop', 'ratio'],
        r.throughput.map((t) => [
          String(t.metaBatch),
          f(t.batchedTasksPerS, 0),
          f(t.perTaskTasksPerS, 0),
          `${f(t.ratio)}×`,
        ]),
      ),
    ].join('\n');
  }
  const m = r.memory;
  if (m) {
    out.e = [
      `e. memory over ${m.steps} meta-steps (T=${m.metaBatch})`,
      table(
        ['', 'live tensors', 'tensor MB', 'process RSS MB'],
        [
          ['before', String(m.tensorsBefore), f(m.bytesBefore / 2 ** 20, 2), f(m.rssMbBefore, 0)],
          ['after', String(m.tensorsAfter), f(m.bytesAfter / 2 ** 20, 2), f(m.rssMbAfter, 0)],
        ],
      ),
    ].join('\n');
  }
  return out;
}

function targets(r: SinusoidReport): Record<string, Target[]> {
  const a: Target[] = [];
  const ad = r.adaptation;
  if (ad) {
    a.push({
      what: 'hypernet adaptation, one task (singleTaskLatency)',
      target: '≤ 0.15 ms',
      measured: `${f(ad.singleTaskMs, 3)} ms`,
      met: ad.singleTaskMs <= 0.15,
    });
    a.push({
      what: `hypernet adaptation, ${ad.batchTasks} tasks in one batch`,
      target: '≤ 20 µs/task',
      measured: `${f(ad.batchUsPerTask)} µs/task`,
      met: ad.batchUsPerTask <= 20,
    });
    // Equal MSE: fine-tuning runs until it matches the hypernet; if it never does within the cap,
    // the ratio is a floor and the hypernet is also the more accurate.
    const ft = ad.fineTuneToTarget;
    a.push({
      what: "hypernet vs fine-tuning to the hypernet's MSE",
      target: '≥ 50× faster at ≤ MSE',
      measured: `${f(ad.fineTuneToTargetOverHypernet)}× (${ft.reachedTarget}/${ft.tasks} tasks reached it), MSE ${f(ad.hypernet.mse, 3)} vs ${f(ft.mse, 3)}`,
      met:
        ad.fineTuneToTargetOverHypernet >= 50 && (ft.reachedTarget === ft.tasks || ad.hypernet.mse <= ft.mse),
    });
  }
  const b: Target[] = [];
  const t16 = r.throughput?.find((t) => t.metaBatch === 16);
  if (t16)
    b.push({
      what: 'batched vs per-task loop, T=16',
      target: '≥ 10×',
      measured: `${f(t16.ratio)}×`,
      met: t16.ratio >= 10,
    });
  const t64 = r.throughput?.find((t) => t.metaBatch === 64);
  if (t64 && r.backend === 'wasm')
    b.push({
      what: 'meta-training tasks/s, T=64, wasm',
      target: '≥ 2,500',
      measured: f(t64.batchedTasksPerS, 0),
      met: t64.batchedTasksPerS >= 2500,
    });
  const e: Target[] = [];
  const m = r.memory;
  if (m)
    e.push({
      what: `live tensors over ${m.steps} meta-steps`,
      target: 'no growth',
      measured: `${m.tensorGrowth >= 0 ? '+' : ''}${m.tensorGrowth}`,
      met: m.tensorGrowth <= 0,
    });
  return { a, b, e };
}

/**
 * Sinusoid's sections: a (adaptation latency of the hypernetwork against fine-tuning and training
 * from scratch), b (meta-training throughput, batched vs a per-task loop), its tasks/s in c, and
 * e (live tensors and memory over many meta-steps).
 */
export const sinusoidBench: FamilyBench = {
  summary: 'a, b, c, e',
  flags,
  checkpoint: {
    help: 'a trained hypernetwork, measured in section a',
    check(model) {
      if (!(model instanceof HypernetModel))
        throw new InvalidArgumentError(
          `bench --checkpoint needs a regression hypernetwork checkpoint; this one is for method '${model.config.method}'`,
        );
    },
  },
  async run(options, log, checkpoint) {
    const o = options as SinusoidBenchOptions;
    let model = checkpoint as HypernetModel | undefined;
    let hypernetSource = 'checkpoint';
    if (!model) {
      log(`meta-training a sinusoid hypernetwork for ${o.trainSeconds} s`);
      const t = trainForSeconds(o.trainSeconds, o.seed);
      model = t.model;
      hypernetSource = `meta-trained in the bench: ${t.steps} steps of T=32 in ${t.seconds.toFixed(1)} s`;
    }
    log('a. adaptation latency');
    const adaptation = adaptationBench(model, {
      tasks: o.adaptTasks,
      shots: o.shots,
      queries: 100,
      fineTuneSteps: o.fineTuneSteps,
      fomamlSeconds: o.fomamlSeconds,
      scratchTasks: o.scratchTasks,
      scratchCap: o.scratchCap,
      batchTasks: o.batchTasks,
      seed: o.seed,
    });
    model.dispose();
    log('b. meta-training throughput');
    const throughput = throughputTable(o.metaBatches, o.seed, { minMs: o.measureMs });
    return { hypernetSource, adaptation, throughput };
  },
  async runLast(options, log) {
    const o = options as SinusoidBenchOptions;
    log(`e. memory over ${o.memSteps} meta-steps`);
    return { memory: memoryBench({ steps: o.memSteps, metaBatch: o.memMetaBatch, seed: o.seed }) };
  },
  backends: {
    config: (o) => ({ compareMetaBatch: (o as SinusoidBenchOptions).compareMetaBatch }),
    measure: (options) => {
      const o = options as SinusoidBenchOptions;
      return { sinusoidTasksPerS: batchedTasksPerS(o.compareMetaBatch, o.seed, { minMs: o.measureMs }) };
    },
    columns: [
      {
        key: 'sinusoidTasksPerS',
        vsCpuKey: 'sinusoidVsCpu',
        higherIsBetter: true,
        digits: 0,
        title: (r) => `sinusoid tasks/s (T=${(r as SinusoidReport).compareMetaBatch})`,
      },
    ],
  },
  format,
  targets,
};
