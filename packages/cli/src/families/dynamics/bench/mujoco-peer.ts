import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ModelSource } from '../../../physics/model-source.js';

/**
 * The Python side of the simulation section: benchmarks/mujoco/peer.py, found from this file (the
 * same number of folders up from src/ and dist/). It ships with the repository, not the package.
 */
export const PEER_SCRIPT = fileURLToPath(
  new URL('../../../../../../benchmarks/mujoco/peer.py', import.meta.url),
);

/** The interpreter's `mujoco` version, or why the peer cannot run (one line). */
export function probePeer(python: string): { mujoco: string } | { reason: string } {
  if (!existsSync(PEER_SCRIPT))
    return { reason: `${PEER_SCRIPT} is not here (it ships with the repository, not the package)` };
  const r = spawnSync(python, ['-c', 'import mujoco, numpy; print(mujoco.__version__)'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status === 0) return { mujoco: r.stdout.trim() };
  const why = (r.stderr || r.error?.message || '').trim().split('\n').pop() || `exit code ${r.status}`;
  return { reason: `MuJoCo's Python binding is not importable by ${python} (${why})` };
}

/** One answer of the peer: `ok` with the command's fields, or its error. */
type Answer = Record<string, unknown> & { ok?: boolean; error?: string; ready?: boolean };

/**
 * A warm Python process running peer.py, one JSON line each way, so the two engines can be timed
 * in turns while both stay warm.
 */
export class MujocoPeer {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private readonly dirs: string[] = [];

  private constructor(python: string) {
    this.child = spawn(python, [PEER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr = (this.stderr + d).slice(-2000)));
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Starts the process; resolves when it says it is ready (with its mujoco version). */
  static async start(python: string): Promise<{ peer: MujocoPeer; mujoco: string }> {
    const peer = new MujocoPeer(python);
    const hello = await peer.next();
    if (!hello.ready) throw new Error(`the MuJoCo peer did not start: ${JSON.stringify(hello)}`);
    return { peer, mujoco: String(hello.mujoco) };
  }

  private async next(): Promise<Answer> {
    const line = await Promise.race([
      this.lines.next(),
      this.exited.then((code) => ({ done: true as const, value: code })),
    ]);
    if (line.done) {
      const last = this.stderr.trim().split('\n').pop() ?? '';
      throw new Error(`the MuJoCo peer stopped (exit ${line.value})${last ? `: ${last}` : ''}`);
    }
    return JSON.parse(line.value as string) as Answer;
  }

  /** Sends one request; the answer's fields, or an Error with the peer's message. */
  async ask<T>(req: Record<string, unknown>): Promise<T> {
    this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    const r = await this.next();
    if (!r.ok) throw new Error(`the MuJoCo peer failed on ${String(req.cmd)}: ${r.error}`);
    return r as T;
  }

  /** Loads the same MJCF bytes hypermeta loaded: written to a folder of their own, includes beside them. */
  async load(src: ModelSource): Promise<{ nq: number; nv: number; nu: number; timestep: number }> {
    const dir = mkdtempSync(join(tmpdir(), 'hypermeta-mjpeer-'));
    this.dirs.push(dir);
    for (const [rel, bytes] of src.files) {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
    }
    return this.ask({ cmd: 'load', path: join(dir, src.main) });
  }

  /** Ends the process and removes the model folders. */
  async close(): Promise<void> {
    this.child.stdin!.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    const timer = setTimeout(() => this.child.kill(), 5000);
    await this.exited;
    clearTimeout(timer);
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
