import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointFolders, cli, expectLossStepsIncreasing, readMetrics, type MetricsLine } from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 20;
const common = (backend: string) => ['--backend', backend, '--steps', String(N), '--meta-batch', '4', '--seed', '7', '--checkpoint-every', '5', '--log-every', '5', '--keep', '10'];
const bytes = (run: string, file: string) => readFileSync(join(run, 'checkpoints', `step-${String(N).padStart(9, '0')}`, file));
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

    // Loop flags (checkpoint/log cadence) are not part of a checkpoint: pass them again.
    const resumed = cli(tmp, 'train', '--resume', split, '--backend', backend, '--checkpoint-every', '5', '--log-every', '5', '--keep', '10');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(new RegExp(`${N} steps from step 10`));
    expect(bytes(split, 'weights.bin').equals(bytes(straight, 'weights.bin'))).toBe(true);
    expect(bytes(split, 'optimizer.bin').equals(bytes(straight, 'optimizer.bin'))).toBe(true);

    // The log reads as one run: no step twice, the same losses as the uninterrupted run.
    const log = readMetrics(split);
    expectLossStepsIncreasing(log);
    expectLossStepsIncreasing(log.filter((m) => 'evalMse5Shot' in m).map((m) => ({ ...m, loss: 0 })));
    expect(timeless(log)).toEqual(timeless(readMetrics(straight)));
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
    expect(outside.err).toMatch(/loose: --resume needs a run folder or one of its checkpoints\/step-\* folders/);
    expect(existsSync(join(tmp, 'checkpoints'))).toBe(false);
    expect(checkpointFolders(run).complete).toEqual(before);
  });
});
