import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  defaultModelConfig,
  defaultTrainConfig,
  evaluateRegression,
  HypernetModel,
  InvalidArgumentError,
  type ModelConfig,
  modelParamCount,
  registerFamily,
  RegressionLearner,
  type RegressionEvalOptions,
  type RegressionTaskDraw,
  Rng,
  type TaskFamily,
  tf,
  unregisterFamily,
  validateModelConfig,
} from '@hypermeta/core';
import { conformanceCases } from '@hypermeta/core/conformance';
import { createProgram } from '../program.js';
import { readNumericCsv } from '../io/csv-points.js';
import { registerCliFamily, unregisterCliFamily } from './registry.js';
import type { CliFamily } from './cli-family.js';

// A task family written outside the product, the way a user adds one: lines y = a·x + b. Core
// and CLI get one registration each, from this file; nothing else is edited.

const drawLines: RegressionTaskDraw = (n, shots, queries, rng) => {
  const lines = Array.from({ length: n }, () => [rng.range(-2, 2), rng.range(-1, 1)]);
  const points = (k: number) => {
    const x = rng.fill(n * k, (r) => r.range(-1, 1));
    const y = x.map((v, i) => lines[Math.floor(i / k)][0] * v + lines[Math.floor(i / k)][1]);
    return [tf.tensor3d(x, [n, k, 1]), tf.tensor3d(y, [n, k, 1])] as const;
  };
  const [supportX, supportY] = points(shots);
  const [queryX, queryY] = points(queries);
  return { supportX, supportY, queryX, queryY };
};

const summary = (model: HypernetModel, o: RegressionEvalOptions) => {
  const r = evaluateRegression(model, drawLines, { ...o, latency: false });
  return {
    metric: 'mse',
    value: r.mse,
    ci95: r.ci95,
    higherIsBetter: false,
    figures: { tasks: r.tasks, shots: r.shots },
  };
};

const small = (): ModelConfig => {
  const base = defaultModelConfig('linear');
  return {
    ...base,
    taskNet: { sizes: [1, 8, 1] },
    codeSize: 8,
    encoder: { pointHidden: [16], setHidden: [16] },
    generator: { ...base.generator, hidden: [16] },
  };
};

const linearFamily: TaskFamily<ModelConfig, HypernetModel, undefined, RegressionEvalOptions> = {
  name: 'linear',
  description: 'lines y = a·x + b',
  methods: ['hypernet'],
  defaultModelConfig: small,
  validateModelConfig,
  defaultTrainConfig: () => ({ ...defaultTrainConfig(), steps: 30, metaBatch: 8, warmup: 5 }),
  paramCount: modelParamCount,
  build: (c, seed) => new HypernetModel(c, seed),
  learner: (m, _data, train) =>
    new RegressionLearner(m, { sampleTrain: (T, s, q, rng) => drawLines(T, s, q, rng) }, train),
  defaultEvalOptions: () => ({ tasks: 50, shots: 5, seed: 1 }),
  evaluate: (m, _data, o) => summary(m, o),
  periodicEval: () => ({
    key: 'evalMseLines',
    title: 'held-out MSE on lines',
    run: (m, _data, seed) => summary(m, { tasks: 20, shots: 5, seed }),
  }),
  conformance: () => ({
    configs: [small()],
    data: () => undefined,
    train: { steps: 2, metaBatch: 4 },
    evalOptions: { tasks: 4, shots: 3, seed: 1 },
  }),
};

const linearCli: CliFamily<undefined> = {
  name: 'linear',
  flags: {
    train: () => [
      new Option('--line-hidden <n>', 'hidden units of the generated line model').argParser(Number),
    ],
  },
  applyModelFlags(config, f) {
    if (f.lineHidden !== undefined) (config as ModelConfig).taskNet.sizes = [1, f.lineHidden as number, 1];
  },
  loadData: async () => undefined,
  describe: () => 'hypernet on lines',
  evalOptions: (_m, f, seed) => ({ tasks: 50, shots: (f.shots as number | undefined) ?? 5, seed }),
  formatEval: (r) => `lines: MSE ${r.value}`,
  async adapt(model, req) {
    const pts = readNumericCsv(req.support, ['x', 'y']);
    const batch = {
      supportX: tf.tensor3d(
        pts.map((p) => p[0]),
        [1, pts.length, 1],
      ),
      supportY: tf.tensor3d(
        pts.map((p) => p[1]),
        [1, pts.length, 1],
      ),
      queryX: tf.tensor3d([0.5], [1, 1, 1]),
    };
    const pred = (model as HypernetModel).predict(batch, Rng.fromSeed(req.seed));
    writeFileSync(req.out!, `x,y\n0.5,${pred.dataSync()[0]}\n`);
    tf.dispose([pred, batch.supportX, batch.supportY, batch.queryX]);
  },
};

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-extra-family-'));
const run = join(tmp, 'run');

/** Runs the CLI in this process (so it sees the families registered here); returns what it printed. */
async function hypermeta(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  try {
    await createProgram((m) => {
      throw new Error(m);
    }).parseAsync(['node', 'hypermeta', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('a task family added from outside: one registration in core and one in the CLI', () => {
  beforeAll(() => {
    registerFamily(linearFamily);
    registerCliFamily(linearCli);
  });
  afterAll(() => {
    unregisterCliFamily('linear');
    unregisterFamily('linear');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('trains, writing checkpoints and its own periodic metric', async () => {
    await hypermeta(
      'train',
      '--task',
      'linear',
      '--line-hidden',
      '6',
      '--steps',
      '20',
      '--checkpoint-every',
      '10',
      '--out',
      run,
    );
    const log = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.filter((r) => typeof r.evalMseLines === 'number').map((r) => r.step)).toEqual([10, 20]);
    const manifest = JSON.parse(
      readFileSync(join(run, 'checkpoints', 'step-000000020', 'checkpoint.json'), 'utf8'),
    );
    expect(manifest.model.task).toBe('linear');
    expect(manifest.model.taskNet.sizes).toEqual([1, 6, 1]);
  });

  it('reloads the checkpoint to evaluate it', async () => {
    const r = JSON.parse(await hypermeta('eval', '--checkpoint', run, '--json'));
    expect(r).toMatchObject({
      task: 'linear',
      method: 'hypernet',
      metric: 'mse',
      tasks: 50,
      shots: 5,
      step: 20,
    });
    expect(r.mse).toBeGreaterThan(0);
  });

  it('resumes the run from its checkpoint', async () => {
    await hypermeta('train', '--resume', run, '--steps', '30');
    expect(existsSync(join(run, 'checkpoints', 'step-000000030', 'checkpoint.json'))).toBe(true);
  });

  it("plots the learning curves with the family's metric title", async () => {
    const out = join(tmp, 'curves.svg');
    const said = await hypermeta('plot', '--run', run, '--out', out);
    expect(readFileSync(out, 'utf8')).toContain('held-out MSE on lines');
    expect(said).toMatch(/no adaptation figure: the linear family draws none/);
  });

  it('adapts to a new line through its own adapter', async () => {
    writeFileSync(join(tmp, 'support.csv'), 'x,y\n-1,-1\n0,1\n1,3\n');
    await hypermeta(
      'adapt',
      '--checkpoint',
      run,
      '--support',
      join(tmp, 'support.csv'),
      '--out',
      join(tmp, 'pred.csv'),
    );
    expect(readNumericCsv(join(tmp, 'pred.csv'), ['x', 'y'])).toHaveLength(1);
  });

  it("refuses its flag on another family's run, and another family's flag on its own", async () => {
    await expect(
      hypermeta('train', '--task', 'sinusoid', '--line-hidden', '3', '--out', join(tmp, 'x')),
    ).rejects.toThrow(/--line-hidden is a flag of linear, not of sinusoid/);
    await expect(
      hypermeta('train', '--task', 'linear', '--ways', '5', '--out', join(tmp, 'y')),
    ).rejects.toThrow(InvalidArgumentError);
  });

  it('is checked by the backend conformance suite without editing it', () => {
    const names = conformanceCases('cpu').map((c) => c.name);
    expect(names).toContain('linear: meta-step loss and gradients agree with the cpu backend (hypernet)');
    expect(names).toContain('linear: training, checkpointing and evaluation leak no tensor (hypernet)');
  });
});
