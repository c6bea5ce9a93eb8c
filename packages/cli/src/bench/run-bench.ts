import { probeBackends, type SavedModel, useBackend } from '@hypermeta/core';
import type { BenchOptions, CliFamily, FamilyBench } from '../families/cli-family.js';
import { cliFamilies } from '../families/registry.js';

/** A family that takes part in `bench`. */
export type BenchFamily = CliFamily & { bench: FamilyBench };

/** The registered families with a bench, in registration order (the order their sections run in). */
export function benchFamilies(): BenchFamily[] {
  return cliFamilies().filter((f): f is BenchFamily => f.bench !== undefined);
}

/** One backend's row of section c: each family's figures (e.g. sinusoidTasksPerS) and their ratios to cpu. */
export interface BackendRow {
  backend: string;
  available: boolean;
  reason?: string;
  [figure: string]: string | number | boolean | undefined;
}

/** The bench's report: these fields, then each measured family's own (e.g. adaptation, compute). */
export interface BenchReport {
  backend: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverage: number[] };
  /** The families measured (--task). */
  families: string[];
  backends: BackendRow[];
  seconds: number;
  [field: string]: unknown;
}

/** The families a report measured, among those registered. */
export function measuredFamilies(r: BenchReport): BenchFamily[] {
  return benchFamilies().filter((f) => r.families.includes(f.name));
}

/**
 * Runs the families' sections: each family's `run` (in registration order), then section c on
 * every backend, then each family's `runLast`, all into one report. `checkpoint` is the
 * --checkpoint's model and the family it belongs to.
 */
export async function runBench(
  families: BenchFamily[],
  o: BenchOptions,
  machine: BenchReport['machine'],
  log: (s: string) => void,
  checkpoint?: { family: string; model: SavedModel },
): Promise<BenchReport> {
  const t0 = performance.now();
  const fields: Record<string, unknown> = {};
  await useBackend(o.backend);
  for (const f of families)
    Object.assign(
      fields,
      await f.bench.run(o, log, checkpoint?.family === f.name ? checkpoint.model : undefined),
    );
  log('c. backends');
  const backends = await backendRows(o, families);
  for (const f of families) Object.assign(fields, f.bench.backends?.config(o));
  await useBackend(o.backend);
  for (const f of families) if (f.bench.runLast) Object.assign(fields, await f.bench.runLast(o, log));
  const report: BenchReport = {
    backend: o.backend,
    machine,
    families: families.map((f) => f.name),
    ...fields,
    backends,
    seconds: (performance.now() - t0) / 1000,
  };
  return report;
}

/** Section c: the same configurations on every backend that loads, relative to cpu. */
async function backendRows(
  o: BenchOptions & { backends?: string[] },
  families: BenchFamily[],
): Promise<BackendRow[]> {
  const rows: BackendRow[] = [];
  for (const s of (await probeBackends()).filter((b) => !o.backends || o.backends.includes(b.name))) {
    if (!s.available) {
      rows.push({ backend: s.name, available: false, reason: s.reason });
      continue;
    }
    await useBackend(s.name);
    const row: BackendRow = { backend: s.name, available: true };
    for (const f of families) Object.assign(row, f.bench.backends?.measure(o, s.name));
    rows.push(row);
  }
  const cpu = rows.find((r) => r.backend === 'cpu');
  const columns = families.flatMap((f) => f.bench.backends?.columns ?? []);
  for (const r of rows) {
    for (const c of columns) {
      const base = cpu?.[c.key] as number | undefined;
      const value = r[c.key] as number | undefined;
      if (base && value) r[c.vsCpuKey] = c.higherIsBetter ? value / base : base / value;
    }
  }
  return rows;
}
