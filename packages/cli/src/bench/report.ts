import { type BenchReport, measuredFamilies } from './run-bench.js';

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

/** A number with `d` decimals, or 'n/a'. */
export const f = (x: number | undefined, d = 1) =>
  x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d);

/** Every measured family's entries of one kind, merged and ordered by section letter (c among them). */
function bySection<T>(parts: Record<string, T[]>[]): T[] {
  const sections = new Map<string, T[]>();
  for (const p of parts)
    for (const [s, xs] of Object.entries(p)) sections.set(s, [...(sections.get(s) ?? []), ...xs]);
  return [...sections.keys()].sort().flatMap((s) => sections.get(s)!);
}

/** The product's performance targets, checked against this run's numbers (reported, never asserted). */
export function targets(r: BenchReport): Target[] {
  return bySection(measuredFamilies(r).map((fam) => fam.bench.targets(r)));
}

/** A Markdown table. */
export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Section c: every backend's row, with each measured family's columns. */
function backendsSection(r: BenchReport): string {
  const cols = measuredFamilies(r).flatMap((fam) => fam.bench.backends?.columns ?? []);
  const rows = r.backends.map((b) => {
    if (!b.available)
      return [
        b.backend,
        ...(cols.length
          ? [`unavailable: ${(b.reason ?? '').slice(0, 60)}…`, ...Array<string>(2 * cols.length - 1).fill('')]
          : []),
      ];
    return [
      b.backend,
      ...cols.flatMap((c) => {
        const vsCpu = b[c.vsCpuKey] as number | undefined;
        return [f(b[c.key] as number | undefined, c.digits), vsCpu ? `${f(vsCpu)}×` : 'n/a'];
      }),
    ];
  });
  return [
    'c. backends (same configuration on each)',
    table(['backend', ...cols.flatMap((c) => [c.title(r), 'vs cpu'])], rows),
  ].join('\n');
}

/** The human-readable report: one Markdown table per section, the sections in letter order. */
export function formatReport(r: BenchReport): string {
  const parts: string[] = [
    `hypermeta bench, backend ${r.backend}, ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverage.map((x) => x.toFixed(2)).join(' ')}`,
  ];
  const sections = bySection([
    { c: [backendsSection(r)] },
    ...measuredFamilies(r).map((fam) =>
      Object.fromEntries(Object.entries(fam.bench.format(r)).map(([s, text]) => [s, [text]])),
    ),
  ]);
  for (const text of sections) parts.push(`\n${text}`);
  parts.push('\ntargets');
  parts.push(
    table(
      ['what', 'target', 'measured', 'met'],
      targets(r).map((t) => [t.what, t.target, t.measured, t.met ? 'yes' : 'NO']),
    ),
  );
  parts.push(
    `\n${r.seconds.toFixed(0)} s in all. Timings are wall-clock on a machine that may be shared: compare figures within one run.`,
  );
  return parts.join('\n') + '\n';
}
