import { Option } from 'commander';
import { f, table, type Target } from '../../../bench/report.js';
import type { BenchReport } from '../../../bench/run-bench.js';
import { intArg } from '../../../options.js';
import type { BenchOptions, FamilyBench } from '../../cli-family.js';
import { type ComputeResult, computeEfficiency, conv4Step } from './compute.js';

/** Omniglot's bench flags. */
interface OmniglotBenchOptions extends BenchOptions {
  /** Ways of the conv4 episode (1 support + 1 query per class) compared across backends. */
  compareWays: number;
  ways: number;
  queriesPerClass: number;
  convReps: number;
  matmulSize: number;
}

/** The report fields Omniglot adds. */
interface OmniglotReport extends BenchReport {
  /** Images of the conv4 episode every backend runs (smaller than d's: the cpu backend is slow). */
  compareImages?: number;
  compute?: ComputeResult;
}

const flags = () => [
  new Option('--compare-ways <n>', 'ways of the conv4 episode run on every backend (2 images per class)')
    .argParser(intArg(2, 1000))
    .default(5),
  new Option('--ways <n>', 'classes of the conv4 episode').argParser(intArg(2, 1000)).default(20),
  new Option('--queries-per-class <n>', 'query images per class in the conv4 episode (plus 1 support)')
    .argParser(intArg(1, 1000))
    .default(5),
  new Option(
    '--conv-reps <n>',
    'timed conv4 steps after three untimed, each followed by the matMul it is compared with (median)',
  )
    .argParser(intArg(1, 1000))
    .default(7),
  new Option('--matmul-size <n>', 'size n of the n×n×n matMul that gives the practical peak')
    .argParser(intArg(8, 8192))
    .default(1024),
];

function format(r: OmniglotReport): Record<string, string> {
  const c = r.compute;
  if (!c) return {};
  return {
    d: [
      `d. compute efficiency on ${c.backend}: conv4 forward+backward, ${c.ways}-way episode of ${c.images} images`,
      table(
        ['step ms', 'GFLOP/step', 'achieved GFLOP/s', `matMul ${c.matmulSize}³ GFLOP/s`, 'fraction of peak'],
        [
          [
            f(c.stepMs, 0),
            f(c.stepGflop, 2),
            f(c.achievedGflops),
            f(c.matMulGflops),
            `${f(100 * c.fractionOfPeak)} %`,
          ],
        ],
      ),
    ].join('\n'),
  };
}

function targets(r: OmniglotReport): Record<string, Target[]> {
  const c: Target[] = [];
  const wasm = r.backends.find((b) => b.backend === 'wasm');
  const conv4VsCpu = wasm?.conv4VsCpu as number | undefined;
  if (conv4VsCpu !== undefined)
    c.push({
      what: 'conv4 step, wasm vs cpu',
      target: '≥ 10×',
      measured: `${f(conv4VsCpu)}×`,
      met: conv4VsCpu >= 10,
    });
  const d: Target[] = [];
  if (r.compute)
    d.push({
      what: `conv4 step, fraction of matMul peak (${r.compute.backend})`,
      target: '≥ 50 %',
      measured: `${f(100 * r.compute.fractionOfPeak)} %`,
      met: r.compute.fractionOfPeak >= 0.5,
    });
  return { c, d };
}

/**
 * Omniglot's sections: the product's conv4 meta-step timed on every backend in c, and d (its
 * achieved GFLOP/s as a fraction of a large matMul's on the same backend).
 */
export const omniglotBench: FamilyBench = {
  summary: 'conv4: c, d',
  flags,
  async run(options, log) {
    const o = options as OmniglotBenchOptions;
    log('d. conv4 compute efficiency');
    return {
      compute: computeEfficiency(o.backend, {
        ways: o.ways,
        queriesPerClass: o.queriesPerClass,
        reps: o.convReps,
        matmulSize: o.matmulSize,
        seed: o.seed,
      }),
    };
  },
  backends: {
    config: (o) => ({ compareImages: (o as OmniglotBenchOptions).compareWays * 2 }),
    measure(options, backend) {
      const o = options as OmniglotBenchOptions;
      // The cpu backend's step takes ~14 s: timed once, after a 2-way warm-up.
      return {
        conv4StepMs: conv4Step({
          ways: o.compareWays,
          queriesPerClass: 1,
          reps: backend === 'cpu' ? 1 : o.convReps,
          fullWarmup: backend !== 'cpu',
          seed: o.seed,
        }).stepMs,
      };
    },
    columns: [
      {
        key: 'conv4StepMs',
        vsCpuKey: 'conv4VsCpu',
        higherIsBetter: false,
        digits: 0,
        title: (r) => `conv4 step ms (${(r as OmniglotReport).compareImages} images)`,
      },
    ],
  },
  format,
  targets,
};
