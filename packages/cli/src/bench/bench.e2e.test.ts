import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built binary with tiny sizes: a smoke test of every section, not a measurement.
const BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'bench', ...args], { encoding: 'utf8', timeout: 240_000 });

const TINY = [
  '--train-seconds',
  '1',
  '--fomaml-seconds',
  '0.5',
  '--adapt-tasks',
  '3',
  '--scratch-tasks',
  '1',
  '--scratch-cap',
  '30',
  '--batch-tasks',
  '20',
  '--meta-batches',
  '1,2',
  '--measure-ms',
  '50',
  '--compare-meta-batch',
  '2',
  '--backends',
  'wasm',
  '--compare-ways',
  '2',
  '--ways',
  '3',
  '--queries-per-class',
  '1',
  '--conv-reps',
  '1',
  '--matmul-size',
  '32',
  '--mem-steps',
  '5',
  '--mem-meta-batch',
  '2',
];

describe('hypermeta bench', () => {
  it('prints one JSON object with every section', () => {
    const r = cli(...TINY, '--json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(j.backend).toBe('wasm');
    expect(j.adaptation.hypernet.msPerTask).toBeGreaterThan(0);
    expect(j.adaptation.fineTune.init).toMatch(/first-order MAML/);
    const ftt = j.adaptation.fineTuneToTarget;
    expect(ftt.tasks).toBe(1);
    expect(ftt.steps).toBeGreaterThan(0);
    expect(ftt.steps).toBeLessThanOrEqual(30); // --scratch-cap
    expect(j.targets.some((t: { what: string }) => /fine-tuning to the hypernet/.test(t.what))).toBe(true);
    expect(j.throughput.map((t: { metaBatch: number }) => t.metaBatch)).toEqual([1, 2]);
    expect(j.backends).toHaveLength(1); // --backends wasm: the cpu backend's conv4 step alone takes ~10 s
    expect(j.backends[0].available).toBe(true);
    expect(j.compute.fractionOfPeak).toBeGreaterThan(0);
    expect(j.memory.tensorGrowth).toBe(0);
    expect(Array.isArray(j.targets)).toBe(true);
  });

  it('rejects bad input with one line and exit code 2', () => {
    for (const args of [
      ['--task', 'mnist'],
      ['--meta-batches', '1,x'],
      ['--backend', 'tpu'],
    ]) {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
