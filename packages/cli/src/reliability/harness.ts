import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { expect } from 'vitest';

/** The built binary, run as a user would (npm test builds it first). */
export const BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export function cli(cwd: string, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The same command line run in this process, through the function main.ts calls, with its
 * output captured: for cases refused before anything is computed, a fraction of a second each
 * instead of a process start (the bad-input suite runs 85 of them). The working directory is
 * `cwd` for the run.
 */
export async function cliInProcess(cwd: string, ...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  const saved = {
    out: process.stdout.write,
    err: process.stderr.write,
    log: console.log,
    error: console.error,
    warn: console.warn,
    cwd: process.cwd(),
  };
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  // vitest routes console output to its reporter, not to the streams: capture it as the streams'
  console.log = (...a: unknown[]) => void out.push(`${format(...a)}\n`);
  console.error = console.warn = (...a: unknown[]) => void err.push(`${format(...a)}\n`);
  process.chdir(cwd);
  try {
    // imported here: it loads the whole CLI and core, which the files that only start the binary never need
    const { runCli } = await import('../cli-run.js');
    const code = await runCli([process.execPath, BIN, ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.chdir(saved.cwd);
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
  }
}

/** Starts the binary and SIGKILLs it after `ms`; resolves when it is gone (or exited on its own). */
export function cliKilledAfter(
  cwd: string,
  ms: number,
  ...args: string[]
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ killed: signal === 'SIGKILL', code });
    });
  });
}

/** Bad input: exit code 2 and exactly one line on stderr, with no stack trace. */
export function expectUserError(r: CliResult, pattern: RegExp): void {
  expect(r.err).not.toMatch(/\n\s+at /);
  const lines = r.err.trim().split('\n');
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.code).toBe(2);
}

/** Complete checkpoint folders of a run, oldest first, and any leftover work folders. */
export function checkpointFolders(runDir: string): { complete: string[]; work: string[] } {
  const dir = join(runDir, 'checkpoints');
  const names = existsSync(dir) ? readdirSync(dir).sort() : [];
  return {
    complete: names.filter((n) => /^step-\d{9}$/.test(n)),
    work: names.filter((n) => n.startsWith('.')),
  };
}

export interface MetricsLine {
  step: number;
  loss?: number;
  [key: string]: unknown;
}

export function readMetrics(runDir: string): MetricsLine[] {
  const path = join(runDir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MetricsLine);
}

/** Training-loss lines must have strictly increasing steps: a plot never shows a step twice. */
export function expectLossStepsIncreasing(lines: MetricsLine[]): void {
  const steps = lines.filter((m) => 'loss' in m).map((m) => m.step);
  for (let i = 1; i < steps.length; i++)
    expect(steps[i], `metrics steps ${steps.join(',')}`).toBeGreaterThan(steps[i - 1]);
}
