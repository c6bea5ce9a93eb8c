import { cpus, loadavg } from 'node:os';
import { Command, Option } from 'commander';
import { InvalidArgumentError, type SavedModel } from '@hypermeta/core';
import { formatReport, targets } from '../bench/report.js';
import { type BenchFamily, benchFamilies, runBench } from '../bench/run-bench.js';
import { backendOption, selectBackend } from '../backend-select.js';
import type { BenchOptions } from '../families/cli-family.js';
import { intArg } from '../options.js';
import { loadForInference } from './load-model.js';

type Flags = BenchOptions & { task: string; checkpoint?: string; json?: boolean };

/** The --checkpoint's model, for the family it belongs to, or why that family cannot take it here. */
async function benchCheckpoint(
  path: string,
  measured: BenchFamily[],
  task: string,
): Promise<{ family: string; model: SavedModel }> {
  const { model, family } = await loadForInference(path);
  try {
    const takers = benchFamilies().filter((f) => f.bench.checkpoint);
    const owner = takers.find((f) => f.name === family.name);
    if (!owner)
      throw new InvalidArgumentError(
        `bench --checkpoint takes a checkpoint of ${takers.map((f) => f.name).join(' or ') || 'no family'}; this one is for task '${family.name}'`,
      );
    if (!measured.includes(owner))
      throw new InvalidArgumentError(
        `bench --checkpoint is a ${family.name} checkpoint, but --task ${task} does not measure ${family.name}`,
      );
    owner.bench.checkpoint!.check(model);
    return { family: family.name, model };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

export async function benchCommand(o: Flags): Promise<void> {
  const backend = await selectBackend(o.backend);
  const families = benchFamilies().filter((f) => o.task === 'all' || f.name === o.task);
  const checkpoint = o.checkpoint ? await benchCheckpoint(o.checkpoint, families, o.task) : undefined;
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg(),
  };
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const report = await runBench(families, { ...o, backend }, machine, log, checkpoint);
  if (o.json) process.stdout.write(JSON.stringify({ ...report, targets: targets(report) }) + '\n');
  else process.stdout.write(formatReport(report));
}

/** Every bench family's own flags, each flag once (the first family's), grouped under its families in --help. */
function familyBenchOptions(families: BenchFamily[]): Option[] {
  const byLong = new Map<string, { opt: Option; owners: string[] }>();
  for (const fam of families) {
    for (const opt of fam.bench.flags?.() ?? []) {
      const seen = byLong.get(opt.long!);
      if (seen) seen.owners.push(fam.name);
      else byLong.set(opt.long!, { opt, owners: [fam.name] });
    }
  }
  return [...byLong.values()].map(({ opt, owners }) => opt.helpGroup(`${owners.join(' and ')} options:`));
}

/**
 * `hypermeta bench`: the generic flags, then each registered family's own. Size flags exist so
 * tests (and quick looks) stay short.
 */
export function benchSpec(): Command {
  const families = benchFamilies();
  const takers = families.filter((f) => f.bench.checkpoint);
  const cmd = new Command('bench')
    .description(
      'measure adaptation latency, meta-training throughput, backends, compute efficiency and memory, side by side',
    )
    .addOption(
      new Option(
        '-t, --task <task>',
        `which benchmarks: ${families.map((f) => `${f.name} (${f.bench.summary})`).join(', ')} or all`,
      )
        .choices([...families.map((f) => f.name), 'all'])
        .default('all'),
    )
    .addOption(backendOption());
  if (takers.length) {
    cmd.option(
      '-c, --checkpoint <dir>',
      `measure this trained model instead of meta-training one in the bench (${takers.map((f) => `${f.name}: ${f.bench.checkpoint!.help}`).join('; ')})`,
    );
  }
  cmd
    .option(
      '--backends <list>',
      'backends section c compares (comma-separated; default every registered one)',
      (v: string) => v.split(',').map((s) => s.trim()),
    )
    .option('--seed <s>', 'seed', intArg(-2147483648), 1)
    .option('--json', 'print one JSON object');
  for (const opt of familyBenchOptions(families)) cmd.addOption(opt);
  return cmd.action((o) => benchCommand(o));
}
