import { sinusoidFamily, MetaTrainer, defaultTrainConfig, HypernetModel, probeBackends, useBackend } from '@hypermeta/core';
import { newSinusoidTrainer } from './throughput.js';
import { type AdaptationResult, adaptationBench } from './adaptation.js';
import { type ComputeResult, computeEfficiency, conv4Step } from './compute.js';
import { type MemoryResult, memoryBench } from './memory.js';
import { batchedTasksPerS, type ThroughputRow, throughputTable } from './throughput.js';

export interface BenchOptions {
  task: 'sinusoid' | 'omniglot' | 'all';
  backend: string;
  /** A trained sinusoid model to measure (section a); otherwise one is meta-trained for trainSeconds. */
  model?: HypernetModel;
  trainSeconds: number;
  adaptTasks: number;
  shots: number;
  fineTuneSteps: number;
  fomamlSeconds: number;
  scratchTasks: number;
  scratchCap: number;
  batchTasks: number;
  metaBatches: number[];
  /** Minimum wall time per throughput measurement, ms. */
  measureMs: number;
  compareMetaBatch: number;
  /** Backends section c compares (default: every registered one). */
  backends?: string[];
  /** Ways of the conv4 episode (1 support + 1 query per class) compared across backends. */
  compareWays: number;
  ways: number;
  queriesPerClass: number;
  convReps: number;
  matmulSize: number;
  memSteps: number;
  memMetaBatch: number;
  seed: number;
}

export interface BackendRow {
  backend: string;
  available: boolean;
  reason?: string;
  sinusoidTasksPerS?: number;
  sinusoidVsCpu?: number;
  conv4StepMs?: number;
  conv4VsCpu?: number;
}

export interface BenchReport {
  backend: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverage: number[] };
  hypernetSource: string;
  adaptation?: AdaptationResult;
  throughput?: ThroughputRow[];
  backends: BackendRow[];
  compareMetaBatch: number;
  /** Images of the conv4 episode every backend runs (smaller than d's: the cpu backend is slow). */
  compareImages: number;
  compute?: ComputeResult;
  memory?: MemoryResult;
  seconds: number;
}

/** Meta-trains the default sinusoid hypernetwork for about `seconds` (cosine schedule sized to fit). */
export function trainForSeconds(seconds: number, seed: number): { model: HypernetModel; steps: number; seconds: number } {
  // Size the schedule from the rate of 10 steps (after 3 warm-up steps) of a throwaway model.
  const stepsPerS = batchedTasksPerS(32, seed, { minMs: 0 }, sinusoidFamily.defaultModelConfig('hypernet'), 10) / 32;
  const steps = Math.max(10, Math.floor(seconds * stepsPerS));
  const model = new HypernetModel(sinusoidFamily.defaultModelConfig('hypernet'), seed);
  const trainer = newSinusoidTrainer(model, { ...defaultTrainConfig(), steps, seed });
  const t0 = performance.now();
  while (trainer.step < steps && performance.now() - t0 < seconds * 1000) trainer.runStep();
  const done = trainer.step;
  trainer.dispose();
  return { model, steps: done, seconds: (performance.now() - t0) / 1000 };
}

export async function runBench(o: BenchOptions, machine: BenchReport['machine'], log: (s: string) => void): Promise<BenchReport> {
  const t0 = performance.now();
  const sinusoid = o.task !== 'omniglot';
  const omniglot = o.task !== 'sinusoid';
  const report: BenchReport = { backend: o.backend, machine, hypernetSource: '', backends: [], compareMetaBatch: o.compareMetaBatch, compareImages: o.compareWays * 2, seconds: 0 };
  await useBackend(o.backend);
  if (sinusoid) {
    let model = o.model;
    if (model) report.hypernetSource = 'checkpoint';
    else {
      log(`meta-training a sinusoid hypernetwork for ${o.trainSeconds} s`);
      const t = trainForSeconds(o.trainSeconds, o.seed);
      model = t.model;
      report.hypernetSource = `meta-trained in the bench: ${t.steps} steps of T=32 in ${t.seconds.toFixed(1)} s`;
    }
    log('a. adaptation latency');
    report.adaptation = adaptationBench(model, { tasks: o.adaptTasks, shots: o.shots, queries: 100, fineTuneSteps: o.fineTuneSteps, fomamlSeconds: o.fomamlSeconds, scratchTasks: o.scratchTasks, scratchCap: o.scratchCap, batchTasks: o.batchTasks, seed: o.seed });
    model.dispose();
    log('b. meta-training throughput');
    report.throughput = throughputTable(o.metaBatches, o.seed, { minMs: o.measureMs });
  }
  if (omniglot) {
    log('d. conv4 compute efficiency');
    report.compute = computeEfficiency(o.backend, { ways: o.ways, queriesPerClass: o.queriesPerClass, reps: o.convReps, matmulSize: o.matmulSize, seed: o.seed });
  }
  log('c. backends');
  report.backends = await backendRows(o, sinusoid, omniglot);
  await useBackend(o.backend);
  if (sinusoid) {
    log(`e. memory over ${o.memSteps} meta-steps`);
    report.memory = memoryBench({ steps: o.memSteps, metaBatch: o.memMetaBatch, seed: o.seed });
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

/** Section c: the same configurations on every backend that loads, relative to cpu. */
async function backendRows(o: BenchOptions, sinusoid: boolean, omniglot: boolean): Promise<BackendRow[]> {
  const rows: BackendRow[] = [];
  for (const s of (await probeBackends()).filter((b) => !o.backends || o.backends.includes(b.name))) {
    if (!s.available) {
      rows.push({ backend: s.name, available: false, reason: s.reason });
      continue;
    }
    await useBackend(s.name);
    const row: BackendRow = { backend: s.name, available: true };
    if (sinusoid) row.sinusoidTasksPerS = batchedTasksPerS(o.compareMetaBatch, o.seed, { minMs: o.measureMs });
    if (omniglot) row.conv4StepMs = conv4Step({ ways: o.compareWays, queriesPerClass: 1, reps: s.name === 'cpu' ? 1 : o.convReps, fullWarmup: s.name !== 'cpu', seed: o.seed }).stepMs;
    rows.push(row);
  }
  const cpu = rows.find((r) => r.backend === 'cpu');
  for (const r of rows) {
    if (cpu?.sinusoidTasksPerS && r.sinusoidTasksPerS) r.sinusoidVsCpu = r.sinusoidTasksPerS / cpu.sinusoidTasksPerS;
    if (cpu?.conv4StepMs && r.conv4StepMs) r.conv4VsCpu = cpu.conv4StepMs / r.conv4StepMs;
  }
  return rows;
}
