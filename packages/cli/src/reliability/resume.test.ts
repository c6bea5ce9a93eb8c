import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkpointFolders,
  cli,
  expectLossStepsIncreasing,
  readMetrics,
  type MetricsLine,
} from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 20;
const common = (backend: string) => [
  '--backend',
  backend,
  '--steps',
  String(N),
  '--meta-batch',
  '4',
  '--seed',
  '7',
  '--checkpoint-every',
  '5',
  '--log-every',
  '5',
  '--keep',
  '10',
];
const bytes = (run: string, file: string) =>
  readFileSync(join(run, 'checkpoints', `step-${String(N).padStart(9, '0')}`, file));
/** Metrics without wall-clock times: everything else must match between the two runs. */
const timeless = (lines: MetricsLine[]) => lines.map(({ seconds: _s, ...rest }) => rest);

describe.each(['cpu', 'wasm'])('exact resume through the binary on %s', (backend) => {
  it(`interrupted at step 13, resumed to ${N}: bit-identical weights, optimizer and metrics`, () => {
    const straight = join(tmp, `${backend}-straight`);
    const split = join(tmp, `${backend}-split`);
    expect(cli(tmp, 'train', ...common(backend), '--out', straight).code).toBe(0);

    // Stop at 13 (checkpoints 5, 10, 13), then forget the step-13 checkpoint: as if killed after
    // logging step 13 but before saving it. The resume starts from 10 and must redo 11–13.
    const first = cli(tmp, 'train', ...common(backend), '--out', split, '--stop-at', '13');
    expect(first.code, first.err).toBe(0);
    expect(checkpointFolders(split).complete).toEqual(['step-000000005', 'step-000000010', 'step-000000013']);
    rmSync(join(split, 'checkpoints', 'step-000000013'), { recursive: true });
    expect(readMetrics(split).some((m) => m.step === 13)).toBe(true);

    // Loop flags (checkpoint and log cadence, keep) are saved with the run: a resume without
    // them keeps the run's (the defaults, 1000 / 50 / 3, would change the log and checkpoints).
    expect(JSON.parse(readFileSync(join(split, 'loop.json'), 'utf8'))).toMatchObject({
      checkpointEvery: 5,
      logEvery: 5,
      keep: 10,
    });
    const resumed = cli(tmp, 'train', '--resume', split, '--backend', backend);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(new RegExp(`${N} steps from step 10`));
    expect(bytes(split, 'weights.bin').equals(bytes(straight, 'weights.bin'))).toBe(true);
    expect(bytes(split, 'optimizer.bin').equals(bytes(straight, 'optimizer.bin'))).toBe(true);

    // The log reads as one run: no step twice, the same losses as the uninterrupted run.
    const log = readMetrics(split);
    expectLossStepsIncreasing(log);
    expectLossStepsIncreasing(log.filter((m) => 'evalMse5Shot' in m).map((m) => ({ ...m, loss: 0 })));
    expect(timeless(log)).toEqual(timeless(readMetrics(straight)));
    expect(checkpointFolders(split).complete).toEqual(checkpointFolders(straight).complete);
  });
});

describe('loop settings of a run', () => {
  it('a flag given on --resume replaces the saved one; a damaged loop.json is one clear error', () => {
    const run = join(tmp, 'loop-run');
    expect(
      cli(
        tmp,
        'train',
        '--backend',
        'cpu',
        '--steps',
        '8',
        '--meta-batch',
        '2',
        '--checkpoint-every',
        '2',
        '--keep',
        '2',
        '--out',
        run,
        '--stop-at',
        '4',
      ).code,
    ).toBe(0);
    const resumed = cli(tmp, 'train', '--resume', run, '--backend', 'cpu', '--keep', '5');
    expect(resumed.code, resumed.err).toBe(0);
    // Every 2 steps (saved) and keeping 5 (given now): all four stay; keep 2 would leave 6 and 8.
    expect(checkpointFolders(run).complete).toEqual([
      'step-000000002',
      'step-000000004',
      'step-000000006',
      'step-000000008',
    ]);
    expect(JSON.parse(readFileSync(join(run, 'loop.json'), 'utf8'))).toMatchObject({
      checkpointEvery: 2,
      keep: 5,
    });
    writeFileSync(join(run, 'loop.json'), '{"keep": -1}');
    const bad = cli(tmp, 'train', '--resume', run, '--backend', 'cpu', '--steps', '10');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/loop\.json holds an invalid loop setting/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(checkpointFolders(run).complete.at(-1)).toBe('step-000000008');
  });
});

describe('resume refuses what would mix histories or write elsewhere', () => {
  it('refuses an older checkpoint of a run that moved on, and a checkpoint outside a run folder', () => {
    const run = join(tmp, 'wasm-straight');
    const before = checkpointFolders(run).complete;
    const old = cli(tmp, 'train', '--resume', join(run, 'checkpoints', 'step-000000010'), '--steps', '50');
    expect(old.code).toBe(2);
    expect(old.err).toMatch(/step-000000010 is not the newest checkpoint of its run/);
    const loose = join(tmp, 'loose');
    cpSync(join(run, 'checkpoints', `step-0000000${N}`), loose, { recursive: true });
    const outside = cli(tmp, 'train', '--resume', loose, '--steps', '50');
    expect(outside.code).toBe(2);
    expect(outside.err).toMatch(
      /loose: --resume needs a run folder or one of its checkpoints\/step-\* folders/,
    );
    expect(existsSync(join(tmp, 'checkpoints'))).toBe(false);
    expect(checkpointFolders(run).complete).toEqual(before);
  });
});
