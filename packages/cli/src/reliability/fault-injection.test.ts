import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointFolders, cli, cliKilledAfter, expectLossStepsIncreasing, readMetrics } from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const KILLS = 20;
/** mulberry32: the kill times are random but the same on every run of the test. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stepOf = (dir: string | undefined) => (dir ? Number(dir.slice(5)) : -1);
// Small and fast, checkpointing often, so kills land in every phase: start-up, steps, saves, pruning.
const loop = ['--checkpoint-every', '5', '--log-every', '5', '--keep', '3'];

describe('fault injection', () => {
  it(`SIGKILL at ${KILLS} random moments never costs a saved checkpoint, and --resume continues`, async () => {
    const random = seeded(20240611);
    const run = join(tmp, 'run');
    // A first checkpoint without a kill, so every kill below hits a run with something to lose.
    const first = cli(
      tmp,
      'train',
      '--steps',
      '100000',
      '--meta-batch',
      '4',
      '--seed',
      '3',
      ...loop,
      '--stop-at',
      '5',
      '--out',
      run,
    );
    expect(first.code, first.err).toBe(0);
    let newest = 5;
    let progressed = 0;
    for (let i = 0; i < KILLS; i++) {
      // Start-up (loading and verifying the checkpoint) takes about a second on a loaded machine, so
      // the window runs past it into training, saving and pruning.
      const ms = Math.round(200 + 2300 * random());
      const r = await cliKilledAfter(tmp, ms, 'train', '--resume', run, ...loop);
      expect(r.killed, `run ${i} ended on its own with code ${r.code}`).toBe(true);
      const now = stepOf(checkpointFolders(run).complete.at(-1));
      // A kill may stop a save half-way, but never loses or damages one already made.
      expect(now, `after kill ${i} at ${ms} ms`).toBeGreaterThanOrEqual(newest);
      if (now > newest) progressed++;
      newest = now;
      expectLossStepsIncreasing(readMetrics(run));
      const e = cli(tmp, 'eval', '--checkpoint', run, '--tasks', '5', '--json');
      expect(e.code, `eval after kill ${i}: ${e.err}`).toBe(0);
      expect(JSON.parse(e.out).step).toBe(newest);
    }
    // How many killed resumes got as far as a new checkpoint depends on the machine's load: reported, not asserted.
    console.log(
      `fault injection: ${KILLS} kills, ${progressed} after new checkpoints were saved, reached step ${newest}`,
    );
    const last = cli(tmp, 'train', '--resume', run, ...loop, '--stop-at', String(newest + 7));
    expect(last.code, last.err).toBe(0);
    expect(last.err).toMatch(new RegExp(`from step ${newest}, stopping at ${newest + 7}`));
    const { complete, work } = checkpointFolders(run);
    expect(stepOf(complete.at(-1))).toBe(newest + 7);
    expect(work).toEqual([]);
    expect(complete.length).toBeLessThanOrEqual(3);
    expectLossStepsIncreasing(readMetrics(run));
  });
});
