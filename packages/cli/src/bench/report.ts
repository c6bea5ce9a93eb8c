import type { BenchReport } from './run-bench.js';

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

/** The targets, checked against this run's numbers (reported, never asserted). */
export function targets(r: BenchReport): Target[] {
  const out: Target[] = [];
  const a = r.adaptation;
  if (a) {
    out.push({ what: 'hypernet adaptation, one task (singleTaskLatency)', target: '≤ 0.15 ms', measured: `${f(a.singleTaskMs, 3)} ms`, met: a.singleTaskMs <= 0.15 });
    out.push({ what: `hypernet adaptation, ${a.batchTasks} tasks in one batch`, target: '≤ 20 µs/task', measured: `${f(a.batchUsPerTask)} µs/task`, met: a.batchUsPerTask <= 20 });
    // Equal MSE: fine-tuning runs until it matches the hypernet; if it never does within the cap,
    // the ratio is a floor and the hypernet is also the more accurate.
    const ft = a.fineTuneToTarget;
    out.push({
      what: 'hypernet vs fine-tuning to the hypernet\'s MSE',
      target: '≥ 50× faster at ≤ MSE',
      measured: `${f(a.fineTuneToTargetOverHypernet)}× (${ft.reachedTarget}/${ft.tasks} tasks reached it), MSE ${f(a.hypernet.mse, 3)} vs ${f(ft.mse, 3)}`,
      met: a.fineTuneToTargetOverHypernet >= 50 && (ft.reachedTarget === ft.tasks || a.hypernet.mse <= ft.mse),
    });
  }
  const t16 = r.throughput?.find((t) => t.metaBatch === 16);
  if (t16) out.push({ what: 'batched vs per-task loop, T=16', target: '≥ 10×', measured: `${f(t16.ratio)}×`, met: t16.ratio >= 10 });
  const t64 = r.throughput?.find((t) => t.metaBatch === 64);
  if (t64 && r.backend === 'wasm') out.push({ what: 'meta-training tasks/s, T=64, wasm', target: '≥ 2,500', measured: f(t64.batchedTasksPerS, 0), met: t64.batchedTasksPerS >= 2500 });
  const wasm = r.backends.find((b) => b.backend === 'wasm');
  if (wasm?.conv4VsCpu !== undefined) out.push({ what: 'conv4 step, wasm vs cpu', target: '≥ 10×', measured: `${f(wasm.conv4VsCpu)}×`, met: wasm.conv4VsCpu >= 10 });
  if (r.compute) out.push({ what: `conv4 step, fraction of matMul peak (${r.compute.backend})`, target: '≥ 50 %', measured: `${f(100 * r.compute.fractionOfPeak)} %`, met: r.compute.fractionOfPeak >= 0.5 });
  if (r.memory) out.push({ what: `live tensors over ${r.memory.steps} meta-steps`, target: 'no growth', measured: `${r.memory.tensorGrowth >= 0 ? '+' : ''}${r.memory.tensorGrowth}`, met: r.memory.tensorGrowth <= 0 });
  return out;
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The human-readable report: one Markdown table per section. */
export function formatReport(r: BenchReport): string {
  const parts: string[] = [`hypermeta bench, backend ${r.backend}, ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverage.map((x) => x.toFixed(2)).join(' ')}`];
  const a = r.adaptation;
  if (a) {
    parts.push(`\na. adaptation on ${a.tasks} fresh ${a.shots}-shot sinusoid tasks, one at a time (hypernet: ${r.hypernetSource})`);
    parts.push(table(['method', 'median ms/task', 'query MSE', 'vs hypernet'], [
      ['hypernet (encoder, no gradient steps)', f(a.hypernet.msPerTask, 3), f(a.hypernet.mse, 4), '1×'],
      [`fine-tune ${a.fineTune.steps} SGD steps from ${a.fineTune.init}`, f(a.fineTune.msPerTask, 2), f(a.fineTune.mse, 4), `${f(a.fineTuneOverHypernet)}×`],
      [`fine-tune, Adam, same init, until hypernet MSE or cap (median ${a.fineTuneToTarget.steps} steps; ${a.fineTuneToTarget.reachedTarget}/${a.fineTuneToTarget.tasks} reached it)`, f(a.fineTuneToTarget.msPerTask, 1), f(a.fineTuneToTarget.mse, 4), `${f(a.fineTuneToTargetOverHypernet, 0)}×`],
      [`from scratch, Adam, until hypernet MSE or cap (median ${a.scratch.steps} steps; ${a.scratch.reachedTarget}/${a.scratch.tasks} reached it)`, f(a.scratch.msPerTask, 1), f(a.scratch.mse, 4), `${f(a.scratchOverHypernet, 0)}×`],
    ]));
    parts.push(`one task alone (singleTaskLatency, 10 query points): ${f(a.singleTaskMs, 3)} ms; ${a.batchTasks} tasks in one batch: ${f(a.batchUsPerTask)} µs/task`);
  }
  if (r.throughput) {
    parts.push('\nb. meta-training throughput (tasks/s), batched meta-step vs per-task loop');
    parts.push(table(['T', 'batched', 'per-task loop', 'ratio'], r.throughput.map((t) => [String(t.metaBatch), f(t.batchedTasksPerS, 0), f(t.perTaskTasksPerS, 0), `${f(t.ratio)}×`])));
  }
  parts.push('\nc. backends (same configuration on each)');
  parts.push(table(['backend', `sinusoid tasks/s (T=${r.compareMetaBatch})`, 'vs cpu', `conv4 step ms (${r.compareImages} images)`, 'vs cpu'], r.backends.map((b) =>
    b.available ? [b.backend, f(b.sinusoidTasksPerS, 0), b.sinusoidVsCpu ? `${f(b.sinusoidVsCpu)}×` : 'n/a', f(b.conv4StepMs, 0), b.conv4VsCpu ? `${f(b.conv4VsCpu)}×` : 'n/a'] : [b.backend, `unavailable: ${(b.reason ?? '').slice(0, 60)}…`, '', '', ''])));
  const c = r.compute;
  if (c) {
    parts.push(`\nd. compute efficiency on ${c.backend}: conv4 forward+backward, ${c.ways}-way episode of ${c.images} images`);
    parts.push(table(['step ms', 'GFLOP/step', 'achieved GFLOP/s', `matMul ${c.matmulSize}³ GFLOP/s`, 'fraction of peak'], [[f(c.stepMs, 0), f(c.stepGflop, 2), f(c.achievedGflops), f(c.matMulGflops), `${f(100 * c.fractionOfPeak)} %`]]));
  }
  const m = r.memory;
  if (m) {
    parts.push(`\ne. memory over ${m.steps} meta-steps (T=${m.metaBatch})`);
    parts.push(table(['', 'live tensors', 'tensor MB', 'process RSS MB'], [
      ['before', String(m.tensorsBefore), f(m.bytesBefore / 2 ** 20, 2), f(m.rssMbBefore, 0)],
      ['after', String(m.tensorsAfter), f(m.bytesAfter / 2 ** 20, 2), f(m.rssMbAfter, 0)],
    ]));
  }
  parts.push('\ntargets');
  parts.push(table(['what', 'target', 'measured', 'met'], targets(r).map((t) => [t.what, t.target, t.measured, t.met ? 'yes' : 'NO'])));
  parts.push(`\n${r.seconds.toFixed(0)} s in all. Timings are wall-clock on a machine that may be shared: compare figures within one run.`);
  return parts.join('\n') + '\n';
}
