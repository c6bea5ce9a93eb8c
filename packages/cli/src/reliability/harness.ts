import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
