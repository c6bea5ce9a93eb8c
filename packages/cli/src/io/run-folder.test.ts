import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError, MANIFEST_FILE } from '@hypermeta/core';
import { resumeDirs, resumeRunDir } from './run-folder.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-run-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A complete-looking checkpoint folder (its manifest is all that finding one reads). */
function checkpoint(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MANIFEST_FILE), '{}');
  return dir;
}

describe('resumeRunDir: the folder to lock, found without listing checkpoints', () => {
  const run = join(tmp, 'run');
  const first = checkpoint(join(run, 'checkpoints', 'step-000000010'));

  it('is the run folder itself, or the run of a checkpoint named in it', () => {
    expect(resumeRunDir(run)).toBe(run);
    expect(resumeRunDir(first)).toBe(run);
  });

  it('refuses what is not there, a file, and a checkpoint outside a run', () => {
    writeFileSync(join(tmp, 'file'), 'x');
    const stray = checkpoint(join(tmp, 'stray'));
    for (const [path, message] of [
      [join(tmp, 'nothing'), /no such checkpoint folder/],
      [join(tmp, 'file'), /no such checkpoint folder/],
      [stray, /--resume needs a run folder or one of its checkpoints/],
    ] as const) {
      expect(() => resumeRunDir(path)).toThrow(CheckpointError);
      expect(() => resumeRunDir(path)).toThrow(message);
    }
  });

  it('a checkpoint saved after the lock was taken is what resumeDirs continues from', () => {
    const lockedRun = resumeRunDir(run);
    const later = checkpoint(join(run, 'checkpoints', 'step-000000020'));
    expect(resumeDirs(lockedRun)).toEqual({ runDir: run, checkpointDir: later });
    expect(() => resumeDirs(first)).toThrow(/is not the newest checkpoint of its run/);
  });
});
