import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  InvalidArgumentError,
  isSplitLearner,
  localPartRunner,
  type MetaLearner,
  type MetaTrainer,
  type ModelConfigBase,
  type PartGradient,
  type PartRunner,
  type SplitLearner,
} from '@hypermeta/core';
import type { WorkerInit, WorkReply, WorkRequest } from './gradient-worker.js';

export const WORKERS_APPLY =
  '--workers applies only where a training step splits into independent episodes; this run computes each step as one batch';

export const NODE_WORKERS =
  '--workers above 1 is not available on the node backend: TensorFlow already spreads each kernel over every core (HYPERMETA_NODE_THREADS sets how many), and tfjs-node 4.22 is not safe in worker threads (use --backend wasm for threads)';

/**
 * Whether a backend may compute in worker threads. wasm and cpu hold all their state in each
 * thread's own JavaScript heap. tfjs-node 4.22 does not: its binding keeps one process-wide
 * std::set of op attribute names (binding/tfjs_backend.cc, ATTR_NAME_SET) and inserts into it,
 * unlocked, for every attribute of every op, so two threads running ops race on it. Measured
 * here, short Omniglot runs with a worker per core on 2 cores: 4 of about 120 failed (segfaults,
 * a hang spinning in the set, an error), and TensorFlow logged a Slice op carrying Concat's
 * attribute N: a wrong name handed to an op, which could as well change a result silently.
 */
export function threadSafe(backend: string): boolean {
  return backend !== 'node';
}

/**
 * Threads to use by default, per backend. wasm (single-threaded in Node) and cpu use one
 * thread per core, but no more than a step has episodes. node computes in this thread alone:
 * TensorFlow's intra-op pool already puts every core on each kernel, and worker threads are
 * unsafe there (see threadSafe). docs/PERFORMANCE.md has the measurements.
 */
export function defaultWorkers(metaBatch: number, backend: string): number {
  if (!threadSafe(backend)) return 1;
  return Math.max(1, Math.min(availableParallelism(), metaBatch));
}

/** One worker thread and the reply it owes. */
class GradientThread {
  private readonly worker: Worker;
  private pending?: { resolve: (r: PartGradient[]) => void; reject: (e: Error) => void };
  private failure?: Error;
  readonly started: Promise<void>;

  constructor(init: WorkerInit) {
    this.worker = new Worker(new URL('./gradient-worker.js', import.meta.url), { workerData: init });
    this.started = new Promise((resolve, reject) => {
      this.pending = { resolve: () => resolve(), reject };
    });
    this.worker.on('message', (m: WorkReply) =>
      this.settle(m.ok ? undefined : new Error(m.error), m.ok ? m.results : []),
    );
    this.worker.on('error', (e) => this.settle(e));
    this.worker.on('exit', (code) => this.settle(new Error(`a gradient worker exited (code ${code})`)));
  }

  private settle(error: Error | undefined, results: PartGradient[] = []): void {
    const p = this.pending;
    this.pending = undefined;
    if (error) this.failure ??= error;
    if (!p) return;
    if (error) p.reject(error);
    else p.resolve(results);
  }

  run(req: WorkRequest): Promise<PartGradient[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      // The weights are copied (each thread needs its own); episodes are small.
      this.worker.postMessage(req);
    });
  }

  close(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }
}

/**
 * Splits each meta-step's episodes over this thread and `threads - 1` worker threads (part i
 * goes to thread i mod threads). wasm runs single-threaded in Node, so this is how training
 * uses more than one core. The trainer averages the gradients in part order, so the numbers
 * are the same for any thread count.
 */
export class WorkerPool {
  private constructor(private readonly workers: GradientThread[]) {}

  static async start(threads: number, backend: string, model: ModelConfigBase): Promise<WorkerPool> {
    const workers = Array.from({ length: threads - 1 }, () => new GradientThread({ backend, model }));
    const pool = new WorkerPool(workers);
    try {
      await Promise.all(workers.map((w) => w.started));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  runner(learner: SplitLearner): PartRunner {
    return async (parts, weights) => {
      const n = this.threads;
      const mine = (k: number) => parts.filter((_, i) => i % n === k);
      // Post the others' parts first so they work while this thread computes its own.
      const remote = this.workers.map((w, k) =>
        mine(k + 1).length ? w.run({ weights, parts: mine(k + 1) }) : Promise.resolve([]),
      );
      // Should this thread's part throw, a worker's later failure must not go unhandled.
      for (const r of remote) r.catch(() => undefined);
      const local = mine(0).map((p) => learner.partGradient(p));
      const done = [local, ...(await Promise.all(remote))];
      return parts.map((_, i) => done[i % n][Math.floor(i / n)]);
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

/**
 * How a run's steps are computed: split learners (episodes) always go through the split path,
 * on `threads` threads (one thread: this one), so --workers never changes the numbers; other
 * learners (batched regression steps, finetune's pre-training) run whole in this thread.
 */
export async function startThreads(
  trainer: MetaTrainer,
  requested: number | undefined,
  backend: string,
  model: ModelConfigBase,
): Promise<WorkerPool | undefined> {
  if (!isSplitLearner(trainer.learner)) {
    if (requested !== undefined && requested > 1) throw new InvalidArgumentError(WORKERS_APPLY);
    return undefined;
  }
  if (requested !== undefined && requested > 1 && !threadSafe(backend))
    throw new InvalidArgumentError(NODE_WORKERS);
  const metaBatch = trainer.config.metaBatch;
  const threads = Math.min(requested ?? defaultWorkers(metaBatch, backend), metaBatch);
  return threads > 1 ? WorkerPool.start(threads, backend, model) : undefined;
}

/** The part runner for a split learner: the pool's threads, or this thread alone. */
export function partRunnerFor(learner: MetaLearner, pool: WorkerPool | undefined): PartRunner | undefined {
  if (!isSplitLearner(learner)) return undefined;
  return pool ? pool.runner(learner) : localPartRunner(learner);
}
