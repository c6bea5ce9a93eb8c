import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn, type CliResult, expectUserError } from '../reliability/harness.js';

// Runs the built binary: the dynamics figures from two tiny checkpoints on the shipped pendulum
// and from their saved control results.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-dyn-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): CliResult {
  return cliIn(tmp, ...args);
}

const tiny = ['--steps', '3', '--meta-batch', '4', '--variations', '8', '--hidden', '16', '--context', '8'];
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

beforeAll(() => {
  for (const method of ['hypernet', 'global']) {
    const t = cli('train', '--task', 'dynamics', '--method', method, ...tiny, '--out', join(tmp, method));
    expect(t.code, t.err).toBe(0);
  }
}, 240_000);

describe('hypermeta plot, dynamics figures, end to end', () => {
  it('draws predicted vs true rollouts of two checkpoints on the same held-out variations', () => {
    const out = join(tmp, 'rollouts.svg');
    const r = cli(
      'plot',
      '--rollouts',
      'hypernet',
      'global',
      '-o',
      out,
      '--variations',
      '2',
      '--horizon',
      '10',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(`wrote ${out}`);
    const t = texts(readFileSync(out, 'utf8'));
    for (const label of ['true', 'hypernet', 'global', 'qpos 0', 'qvel 0']) expect(t).toContain(label);
    expect(t.filter((x) => /^variation \d: mass ×\d\.\d\d$/.test(x))).toHaveLength(2);
    // One truth and two models, in 2 variations × 2 state values: 12 lines.
    expect(readFileSync(out, 'utf8').match(/<g class="mark-line role-mark/g)).toHaveLength(12);
    expect(t).toContain('Open-loop rollouts on pendulum');
    expect(t.some((x) => x.startsWith('10 steps from a real state with the real actions'))).toBe(true);
  }, 240_000);

  it('draws returns and the reward around the change from saved control --json outputs', () => {
    const quick = ['--json', '--episodes', '2', '--steps', '60', '--horizon', '5', '--candidates', '8'];
    for (const m of ['hypernet', 'global']) {
      const c = cli('control', '-c', m, ...quick, '--iterations', '1');
      expect(c.code, c.err).toBe(0);
      const row = JSON.parse(c.out);
      expect(row.rewardTrace).toHaveLength(60);
      expect(row.dt).toBe(0.02);
      writeFileSync(join(tmp, `${m}.jsonl`), c.out);
    }
    const out = join(tmp, 'returns.png');
    const r = cli('plot', '--control', 'hypernet.jsonl', 'global.jsonl', '-o', out);
    expect(r.code, r.err).toBe(0);
    const recovery = join(tmp, 'returns-recovery.png');
    expect(r.out.trim().split('\n')).toEqual([`wrote ${out}`, `wrote ${recovery}`]);
    for (const f of [out, recovery]) expect(readFileSync(f).subarray(1, 4).toString('latin1')).toBe('PNG');
    const svg = join(tmp, 'returns.svg');
    expect(cli('plot', '--control', 'hypernet.jsonl', 'global.jsonl', '-o', svg).code).toBe(0);
    const t = texts(readFileSync(join(tmp, 'returns-recovery.svg'), 'utf8'));
    expect(t).toContain('change at 0.6 s');
    expect(t.some((x) => x.startsWith('hypernet: '))).toBe(true);
  }, 240_000);

  it('refuses no or two modes, another family, bad dims and bad files: one line, exit 2', () => {
    expectUserError(cli('plot', '-o', 'a.svg'), /give --run, --rollouts or --control$/);
    expectUserError(
      cli('plot', '-r', 'hypernet', '--control', 'x.jsonl', '-o', 'a.svg'),
      /--run and --control/,
    );
    const sine = join(tmp, 'sine');
    expect(cli('train', '--task', 'sinusoid', '--steps', '2', '--out', sine).code).toBe(0);
    expectUserError(
      cli('plot', '--rollouts', sine, '-o', 'a.svg'),
      /needs dynamics models; .* holds a sinusoid/,
    );
    expectUserError(
      cli('plot', '--rollouts', 'hypernet', '--dims', '2', '-o', 'a.svg'),
      /state value 2 does not/,
    );
    expectUserError(
      cli('plot', '--control', 'none.jsonl', '-o', 'a.svg'),
      /none.jsonl: cannot read \(ENOENT\)$/,
    );
    writeFileSync(join(tmp, 'bad.jsonl'), '{"step":1}\n');
    expectUserError(
      cli('plot', '--control', 'bad.jsonl', '-o', 'a.svg'),
      /bad.jsonl:1: not a hypermeta control/,
    );
    expect(existsSync(join(tmp, 'a.svg'))).toBe(false);
  }, 240_000);
});
