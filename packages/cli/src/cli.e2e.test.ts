import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as cliIn, type CliResult, expectUserError } from './reliability/harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]): CliResult => cliIn(tmp, ...args);

const run = join(tmp, 'run');
const csv = (name: string, text: string) => {
  writeFileSync(join(tmp, name), text);
  return join(tmp, name);
};

describe('hypermeta CLI, end to end', () => {
  it('trains briefly and writes a checkpoint and a metrics log', () => {
    const r = cli(
      'train',
      '--steps',
      '300',
      '--meta-batch',
      '8',
      '--seed',
      '3',
      '--out',
      run,
      '--checkpoint-every',
      '100',
      '--keep',
      '2',
    );
    expect(r.err).toMatch(/step 300\/300/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^saved .*step-000000300 \(step 300, [\d.]+ s on wasm\)/);
    expect(readdirSync(join(run, 'checkpoints'))).toEqual(['step-000000200', 'step-000000300']);
    const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(metrics.filter((m) => 'loss' in m).length).toBe(6);
    expect(metrics.filter((m) => 'evalMse5Shot' in m).map((m) => m.step)).toEqual([100, 200, 300]);
  });

  it('evaluates on fresh tasks with one JSON object, better than predicting zero', () => {
    const r = cli('eval', '--checkpoint', run, '--tasks', '200', '--shots', '5', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    for (const k of ['task', 'method', 'shots', 'tasks', 'mse', 'ci95', 'backend', 'adaptMsPerTask'])
      expect(j).toHaveProperty(k);
    expect(j).toMatchObject({
      task: 'sinusoid',
      method: 'hypernet',
      shots: 5,
      tasks: 200,
      backend: 'wasm',
      step: 300,
    });
    // Predicting y = 0 scores E[A²]/2 ≈ 4.2 on this task family.
    expect(j.mse).toBeLessThan(2.5);
    expect(j.ci95).toBeGreaterThan(0);
  });

  it('adapts to a task from CSV files and writes predictions', () => {
    const xs = [-4, -2.5, -1, 0.5, 2, 3.5];
    const support = csv(
      'support.csv',
      'x,y\n' + xs.map((x) => `${x},${2 * Math.sin(x - 1)}`).join('\n') + '\n',
    );
    const query = csv('query.csv', 'x\n-3\n0\n3\n');
    const out = join(tmp, 'pred.csv');
    const r = cli('adapt', '--checkpoint', run, '--support', support, '--query', query, '--out', out);
    expect(r.code).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('x,y');
    expect(rows.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([-3, 0, 3]);
    expect(rows.slice(1).every((l) => Number.isFinite(Number(l.split(',')[1])))).toBe(true);
    const stdout = cli('adapt', '--checkpoint', run, '--support', support);
    expect(stdout.out.trim().split('\n')).toHaveLength(102);
  });

  it('adapt reports the support-set error, warns outside the trained task family, and refines with --inner-steps', () => {
    const inRange = csv('in-range.csv', 'x,y\n-4,1.5\n-2,-1.8\n0,0.2\n1.5,1.9\n3,0.3\n');
    const plain = cli('adapt', '--checkpoint', run, '--support', inRange, '--out', join(tmp, 'p1.csv'));
    expect(plain.code, plain.err).toBe(0);
    expect(plain.err).not.toMatch(/warning/);
    const mse = (err: string) => Number(/support-set MSE ([\d.e-]+) over 5 point/.exec(err)![1]);
    const refined = cli(
      'adapt',
      '--checkpoint',
      run,
      '--support',
      inRange,
      '--out',
      join(tmp, 'p2.csv'),
      '--inner-steps',
      '30',
    );
    expect(refined.code, refined.err).toBe(0);
    expect(refined.err).toMatch(/after 30 gradient step/);
    expect(mse(refined.err)).toBeLessThan(mse(plain.err));
    // A = 8 is beyond the trained amplitudes; x = 7 beyond the trained inputs.
    const far = csv(
      'far.csv',
      ['x,y', ...[-4, -2, 0, 1.5, 3, 7].map((x) => `${x},${8 * Math.sin(x - 1)}`)].join('\n') + '\n',
    );
    const w = cli('adapt', '--checkpoint', run, '--support', far, '--out', join(tmp, 'p3.csv'));
    expect(w.code, w.err).toBe(0);
    expect(w.err).toMatch(/warning: 1 support point\(s\) lie outside x ∈ \[-5, 5\]/);
    expect(w.err).toMatch(
      /warning: the support points suggest amplitude A ≈ 8.00, outside the trained range \[0.1, 5\]/,
    );
    const flat = cli(
      'adapt',
      '--checkpoint',
      run,
      '--support',
      csv('flat.csv', 'x,y\n-4,1\n-2,1\n0,1\n1.5,1\n3,1\n'),
      '--out',
      join(tmp, 'p4.csv'),
    );
    expect(flat.err).toMatch(/warning: the support points do not look like one sinusoid/);
  });

  it('resumes a run from its newest checkpoint', () => {
    const r = cli('train', '--resume', run, '--steps', '350');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/step-000000350 \(step 350,/);
  });

  it('lists backends with availability and reasons', () => {
    const r = cli('backends', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { name: string; available: boolean; reason: string | null }[];
    expect(list.map((b) => b.name)).toEqual(['node', 'wasm', 'cpu']);
    expect(list.find((b) => b.name === 'wasm')).toEqual({ name: 'wasm', available: true, reason: null });
    const node = list.find((b) => b.name === 'node')!;
    if (!node.available) expect(node.reason).toMatch(/tfjs-node.*network access/);
  });

  it('explains a missing tfjs-node in one line with exit code 2', () => {
    const installed = JSON.parse(cli('backends', '--json').out).find(
      (b: { name: string }) => b.name === 'node',
    ).available;
    if (installed) return;
    const r = cli('train', '--backend', 'node', '--steps', '1', '--out', join(tmp, 'never'));
    expectUserError(
      r,
      /^hypermeta: no backend could be used: \[node\] @tensorflow\/tfjs-node is not installed.*network access.*--backend wasm/,
    );
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('rejects bad flags, values and files with one line and exit code 2, keeping what was saved', () => {
    const before = statSync(join(run, 'checkpoints')).mtimeMs;
    expectUserError(cli('train', '--stepz', '3'), /unknown option '--stepz'/);
    expectUserError(cli('train', '--steps', '0'), /--steps <n>.*must be an integer from 1/);
    expectUserError(cli('train', '--meta-batch', 'many'), /--meta-batch <t>.*must be an integer/);
    expectUserError(cli('train', '--backend', 'gpu'), /--backend.*Allowed choices are auto, wasm, node, cpu/);
    expectUserError(cli('train', '--shots', '5-2'), /--shots.*MIN-MAX/);
    expectUserError(
      cli('train', '--conditioning', 'noise', '--inner-steps', '0', '--out', join(tmp, 'x')),
      /noise conditioning needs inner steps/,
    );
    expectUserError(cli('train', '--out', run, '--steps', '5'), /already holds a run.*--resume/);
    expectUserError(
      cli('train', '--config', join(tmp, 'missing.json')),
      /missing.json: cannot read a JSON config/,
    );
    expectUserError(
      cli('train', '--config', csv('bad.json', '{"train":{"stepz":3}}')),
      /unknown key 'stepz'/,
    );
    expectUserError(cli('eval', '--checkpoint', join(tmp, 'nowhere')), /nowhere: no such checkpoint folder/);
    expectUserError(cli('eval'), /required option '-c, --checkpoint <dir>' not specified/);
    expectUserError(
      cli('adapt', '--checkpoint', run, '--support', csv('s1.csv', 'a,b\n1,2\n')),
      /header must be 'x,y'/,
    );
    expectUserError(
      cli('adapt', '--checkpoint', run, '--support', csv('s2.csv', 'x,y\n1,NaN\n')),
      /line 2, column y: 'NaN' is not a finite number/,
    );
    expectUserError(cli('adapt', '--checkpoint', run, '--support', csv('s3.csv', '')), /the file is empty/);
    expectUserError(
      cli('adapt', '--checkpoint', run, '--support', join(tmp, 'none.csv')),
      /none.csv: cannot read the file/,
    );
    expect(statSync(join(run, 'checkpoints')).mtimeMs).toBe(before);
    expect(cli('eval', '--checkpoint', run, '--tasks', '10').code).toBe(0);
  });

  it('prints its version, and takes short flags for the common options', () => {
    const v = cli('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
    );
    const short = join(tmp, 'short');
    const t = cli(
      'train',
      '-t',
      'sinusoid',
      '-m',
      'hypernet',
      '-n',
      '4',
      '-k',
      '3',
      '-q',
      '5',
      '-s',
      '2',
      '-b',
      'wasm',
      '-o',
      short,
    );
    expect(t.code, t.err).toBe(0);
    const e = cli('eval', '-c', short, '-k', '3', '-q', '7', '-s', '2', '--tasks', '5', '--json');
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out)).toMatchObject({ shots: 3, queries: 7, seed: 2, step: 4 });
  });

  it('prints help on every command', () => {
    for (const cmd of ['train', 'eval', 'adapt', 'backends']) {
      const r = cli(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: hypermeta/);
    }
  });
});
