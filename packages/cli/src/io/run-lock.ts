import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataError, InvalidArgumentError } from '@hypermeta/core';
import { fsProblem } from './fs-problem.js';

const LOCK = '.hypermeta.lock';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the run folder for this process: a lock file naming its pid, created exclusively. A lock
 * left by a process of this machine that no longer runs is stale and taken over; a live owner is
 * refused with one line. Returns the release function (also run on exit).
 */
export function lockRun(runDir: string): () => void {
  const path = join(runDir, LOCK);
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (e) {
    throw new DataError(`${runDir}: cannot create the run folder: ${fsProblem(e)}`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST')
        throw new DataError(`${runDir}: cannot write in the run folder: ${fsProblem(e)}`);
      const owner = readOwner(path);
      const stale = owner === undefined || (owner.host === me.host && !alive(owner.pid));
      if (!stale || attempt > 0) {
        const who = owner
          ? `process ${owner.pid} on ${owner.host} (since ${owner.started})`
          : 'another process';
        throw new InvalidArgumentError(
          `${runDir} is being written by ${who}: wait for it, or use another --out (remove ${path} only if that process is gone)`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
