import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, checkpointFolders, cli, expectUserError, readMetrics } from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-run-safety-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every file of a folder with its bytes, to compare a run before and after a command. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = readFileSync(join(d, e.name)).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

/** A long training into `run` in the background (checkpoint every `every` steps): its exit, and its stderr. */
function longTraining(run: string, every: number) {
  const args = [
    'train',
    '--steps',
    '100000',
    '--meta-batch',
    '4',
    '--checkpoint-every',
    String(every),
    '--out',
    run,
  ];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; err: string }>((done) =>
    child.on('exit', (code) => done({ code, err })),
  );
  const said = (pattern: RegExp) =>
    new Promise<void>((done) => {
      const check = () => (pattern.test(err) ? done() : setTimeout(check, 50));
      check();
    });
  return { child, exited, said };
}

describe('a saved run is never lost to a new command', () => {
  const run = join(tmp, 'kept');
  const saved = () => {
    const r = cli(tmp, 'train', '--steps', '6', '--meta-batch', '4', '--checkpoint-every', '3', '--out', run);
    expect(r.code, r.err).toBe(0);
    return contents(run);
  };

  it('train --force with input refused after parsing (data, model, data folder) leaves the old run as it was', () => {
    const before = saved();
    expectUserError(
      cli(tmp, 'train', '--force', '--out', run, '--conditioning', 'noise', '--inner-steps', '0'),
      /noise conditioning needs inner steps/,
    );
    expectUserError(
      cli(tmp, 'train', '--force', '--out', run, '--task', 'omniglot', '--data-dir', join(tmp, 'nowhere')),
      /nowhere/,
    );
    expectUserError(
      cli(tmp, 'train', '--force', '--out', run, '--config', join(tmp, 'missing.json')),
      /missing.json/,
    );
    expect(contents(run)).toEqual(before);
  });

  it('train --force whose training fails before its first checkpoint puts the old run back', () => {
    const before = contents(run);
    const r = cli(
      tmp,
      'train',
      '--force',
      '--out',
      run,
      '--steps',
      '50',
      '--lr',
      '10',
      '--checkpoint-every',
      '40',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/diverged/);
    expect(contents(run)).toEqual(before);
  });

  it('train --force replaces the old run once the new one has a checkpoint', () => {
    const r = cli(
      tmp,
      'train',
      '--force',
      '--out',
      run,
      '--steps',
      '4',
      '--meta-batch',
      '4',
      '--checkpoint-every',
      '2',
    );
    expect(r.code, r.err).toBe(0);
    expect(checkpointFolders(run).complete).toEqual(['step-000000002', 'step-000000004']);
    expect(
      readMetrics(run)
        .filter((m) => 'loss' in m)
        .at(-1)!.step,
    ).toBe(4);
    expect(readdirSync(run).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('one writer per run folder', () => {
  it('refuses a second training or a --resume of a folder being written, and takes over a stale lock', async () => {
    const run = join(tmp, 'busy');
    const first = longTraining(run, 5);
    await first.said(/training /);
    expectUserError(
      cli(tmp, 'train', '--steps', '5', '--out', run, '--force'),
      /is being written by process \d+/,
    );
    expectUserError(cli(tmp, 'train', '--resume', run), /is being written by process \d+/);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(143);
    // A lock left by a process that is gone (pid 2^22 + 1 exceeds Linux's pid range) does not block.
    writeFileSync(
      join(run, '.hypermeta.lock'),
      JSON.stringify({ pid: 4194305, host: hostname(), started: 'then' }),
    );
    const r = cli(
      tmp,
      'train',
      '--resume',
      run,
      '--stop-at',
      String(Number(checkpointFolders(run).complete.at(-1)!.slice(5)) + 2),
    );
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(run, '.hypermeta.lock'))).toBe(false);
  });
});

describe('SIGINT and SIGTERM', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: finishes the step, saves a checkpoint, exits ${code}; --resume continues from it`, async () => {
      const run = join(tmp, signal);
      const t = longTraining(run, 100000);
      await t.said(/training /);
      await new Promise((r) => setTimeout(r, 1500));
      t.child.kill(signal);
      const { code: exit, err } = await t.exited;
      expect(exit, err).toBe(code);
      expect(err).toMatch(new RegExp(`stopped by ${signal}: saved .*step-(\\d{9}); continue with --resume`));
      const step = Number(/step-(\d{9})/.exec(err)![1]);
      expect(step).toBeGreaterThan(0);
      expect(checkpointFolders(run)).toEqual({
        complete: [`step-${String(step).padStart(9, '0')}`],
        work: [],
      });
      expect(existsSync(join(run, '.hypermeta.lock'))).toBe(false);
      const r = cli(tmp, 'train', '--resume', run, '--stop-at', String(step + 2));
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(new RegExp(`from step ${step}, stopping at ${step + 2}`));
    });
  }

  it('a second signal stops at once, leaving the saved checkpoints intact', async () => {
    const run = join(tmp, 'twice');
    const t = longTraining(run, 20);
    await t.said(/step \d+\/100000|training /);
    await new Promise((r) => setTimeout(r, 1500));
    t.child.kill('SIGINT');
    t.child.kill('SIGINT');
    expect((await t.exited).code).toBe(130);
    const copy = join(tmp, 'twice-copy');
    cpSync(run, copy, { recursive: true });
    expect(checkpointFolders(run).complete.length).toBeGreaterThan(0);
    const e = cli(tmp, 'eval', '--checkpoint', copy, '--tasks', '5', '--json');
    expect(e.code, e.err).toBe(0);
  });
});

describe('file-system failures on the output side', () => {
  it('an --out that is a file, or a symbolic-link loop, gets one line naming it', () => {
    writeFileSync(join(tmp, 'a-file'), 'x');
    expectUserError(
      cli(tmp, 'train', '--steps', '2', '--out', 'a-file'),
      /a-file: cannot create the run folder: a file is in the way \(EEXIST\)/,
    );
    symlinkSync(join(tmp, 'loop-b'), join(tmp, 'loop-a'));
    symlinkSync(join(tmp, 'loop-a'), join(tmp, 'loop-b'));
    expectUserError(
      cli(tmp, 'train', '--steps', '2', '--out', 'loop-a'),
      /loop-a: cannot create the run folder: too many symbolic links/,
    );
  });

  // A small RAM disk stands in for a full disk; where mounting is not allowed the case cannot run.
  const disk = join(tmp, 'small-disk');
  mkdirSync(disk);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', disk]).status === 0;
  afterAll(() => {
    if (mounted) spawnSync('umount', [disk]);
  });
  it.skipIf(!mounted)(
    'a full disk stops training with one line; the checkpoints already saved stay loadable',
    () => {
      const run = join(disk, 'run');
      const r = cli(
        tmp,
        'train',
        '--steps',
        '30',
        '--meta-batch',
        '4',
        '--checkpoint-every',
        '10',
        '--keep',
        '3',
        '--out',
        run,
      );
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n').at(-1)).toMatch(
        /cannot save the checkpoint of step \d+: the disk is full \(ENOSPC\); the last good checkpoint is .*step-000000010/,
      );
      expect(checkpointFolders(run)).toEqual({ complete: ['step-000000010'], work: [] });
      const e = cli(tmp, 'eval', '--checkpoint', run, '--tasks', '5', '--json');
      expect(e.code, e.err).toBe(0);
      expect(JSON.parse(e.out).step).toBe(10);
    },
  );
});
