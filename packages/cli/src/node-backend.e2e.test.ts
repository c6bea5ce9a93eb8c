import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';

// Every task family through the built binary on the node backend (native TensorFlow): train,
// eval, adapt and bench, against wasm on the same seeds, and checkpoints moving between the two.
const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ROOT = resolve(dirname(BIN), '../../..');
const DATA = process.env.HYPERMETA_OMNIGLOT_DIR ?? resolve(ROOT, '../shared/data/omniglot');
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-node-cli-'));
const cache = join(tmp, 'cache');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI; `args` mixes flag strings ('--steps 4 --seed 5', split on spaces) and single values (paths). */
function cli(...args: string[]) {
  const argv = args.flatMap((a) => (a.startsWith('--') || /^[a-z]+$/.test(a) ? a.split(' ') : [a]));
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: tmp, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(...args: string[]): string {
  const r = cli(...args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

const json = (...args: string[]) => JSON.parse(ok(...args, '--json'));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
/** The training losses of a run's first `n` steps (metrics.jsonl, one line per step). */
const losses = (run: string, n: number): number[] =>
  readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((m) => 'loss' in m)
    .slice(0, n)
    .map((m) => m.loss);
/** Rows of a CSV written by `adapt`, header dropped. */
const rows = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

type Status = { name: string; available: boolean; reason?: string };
const status = (JSON.parse(cli('backends', '--json').out) as Status[]).find((b) => b.name === 'node');
// CI sets this (.ci/run): there the addon must load, so the suite runs (and fails) rather than skips.
const required = process.env.HYPERMETA_REQUIRE_NODE_BACKEND === '1';
if (!status?.available && !required) {
  console.log(`node backend end-to-end tests skipped: ${status?.reason ?? 'no node backend is registered'}`);
}

/** Relative tolerance between backends (the conformance suite's, float32 on both). */
const TOL = 1e-4;

describe.runIf(status?.available || required)('the node backend, end to end', () => {
  describe('sinusoid', () => {
    const runs = { node: join(tmp, 'sin-node'), wasm: join(tmp, 'sin-wasm') };

    it('trains on node as on wasm: the same losses from the same seed', () => {
      for (const [backend, out] of Object.entries(runs)) {
        const r = cli(
          'train',
          '--steps 30 --meta-batch 8 --seed 5 --log-every 1 --checkpoint-every 30',
          `--backend ${backend}`,
          '--out',
          out,
        );
        expect(r.code, r.err).toBe(0);
        expect(r.err).toContain(`backend ${backend}`);
      }
      // The first steps agree to float32 precision; later ones drift apart as any two backends do.
      const [a, b] = [losses(runs.node, 5), losses(runs.wasm, 5)];
      a.forEach((x, i) => expect(rel(x, b[i]), `step ${i + 1}: ${x} vs ${b[i]}`).toBeLessThan(TOL));
    });

    it('evaluates each checkpoint to the same MSE on node and wasm (checkpoints move both ways)', () => {
      for (const run of Object.values(runs)) {
        const [n, w] = ['node', 'wasm'].map((b) =>
          json('eval', '--checkpoint', run, `--tasks 100 --backend ${b}`),
        );
        expect([n.backend, w.backend]).toEqual(['node', 'wasm']);
        expect(rel(n.mse, w.mse)).toBeLessThan(TOL);
        expect(rel(n.ci95, w.ci95)).toBeLessThan(TOL);
      }
    });

    it('adapts to a CSV of support points with the same predictions on node and wasm', () => {
      const support = join(tmp, 'support.csv');
      writeFileSync(support, 'x,y\n-3,0.4\n-1,-2.1\n0,-1.5\n2,1.9\n4,0.2\n');
      const pred = (backend: string) => {
        const out = join(tmp, `pred-${backend}.csv`);
        ok('adapt', '--checkpoint', runs.node, '--support', support, `--backend ${backend}`, '--out', out);
        return rows(out).map(([, y]) => Number(y));
      };
      const [n, w] = [pred('node'), pred('wasm')];
      expect(n).toHaveLength(101);
      const scale = Math.max(...w.map(Math.abs));
      n.forEach((y, i) => expect(Math.abs(y - w[i]) / scale).toBeLessThan(TOL));
    });

    it('benchmarks on node', () => {
      const r = json(
        'bench',
        '--task sinusoid --backend node --backends node --train-seconds 1 --fomaml-seconds 1 --adapt-tasks 5',
        '--scratch-tasks 1 --scratch-cap 20 --meta-batches 4 --measure-ms 100 --mem-steps 10 --batch-tasks 50',
      );
      expect(r.backend).toBe('node');
      expect(r.adaptation.singleTaskMs).toBeGreaterThan(0);
      expect(r.throughput[0].batchedTasksPerS).toBeGreaterThan(0);
      expect(r.memory.tensorGrowth).toBe(0);
    });

    it('--backend auto picks node where it loads', () => {
      expect(json('eval', '--checkpoint', runs.wasm, '--tasks 10 --backend auto').backend).toBe('node');
    });
  });

  describe.skipIf(!existsSync(DATA))('omniglot', () => {
    const runs = { node: join(tmp, 'og-node'), wasm: join(tmp, 'og-wasm') };
    const train = (...args: string[]) =>
      cli(
        'train',
        '--task omniglot --data-dir',
        DATA,
        '--cache-dir',
        cache,
        '--filters 8 --ways 5 --queries 1 --meta-batch 2',
        ...args,
      );

    it('trains on node as on wasm: the same losses from the same seed', () => {
      for (const [backend, out] of Object.entries(runs)) {
        const r = train(`--steps 4 --log-every 1 --checkpoint-every 4 --backend ${backend}`, '--out', out);
        expect(r.code, r.err).toBe(0);
        // wasm splits a step's 2 episodes over 2 threads by default; node computes in one (TensorFlow uses every core).
        expect(r.err).toContain(backend === 'node' ? 'backend node, 4 steps' : 'backend wasm on 2 threads');
      }
      const [a, b] = [losses(runs.node, 4), losses(runs.wasm, 4)];
      a.forEach((x, i) => expect(rel(x, b[i]), `step ${i + 1}: ${x} vs ${b[i]}`).toBeLessThan(1e-3));
    });

    it('refuses worker threads on node (tfjs-node is not thread-safe) with one line and exit code 2', () => {
      const r = train('--steps 1 --backend node --workers 2', '--out', join(tmp, 'og-threads'));
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n').pop()).toMatch(
        /--workers above 1 is not available on the node backend/,
      );
    });

    it('evaluates each checkpoint to the same accuracy on node and wasm (checkpoints move both ways)', () => {
      for (const run of Object.values(runs)) {
        const [n, w] = ['node', 'wasm'].map((b) =>
          json('eval', '--checkpoint', run, '--cache-dir', cache, `--episodes 20 --backend ${b}`),
        );
        expect([n.backend, w.backend]).toEqual(['node', 'wasm']);
        // 20 episodes × 5 ways × 5 queries: one query whose near-tie flips would move it by 0.002.
        expect(Math.abs(n.accuracy - w.accuracy)).toBeLessThanOrEqual(0.002 + 1e-9);
      }
    });

    it("labels users' query images the same on node and wasm", () => {
      const { support, query } = userEpisode();
      const labels = (backend: string) => {
        const out = join(tmp, `labels-${backend}.csv`);
        ok(
          'adapt',
          '--checkpoint',
          runs.node,
          '--support',
          support,
          '--query',
          query,
          `--backend ${backend}`,
          '--out',
          out,
        );
        return rows(out);
      };
      const [n, w] = [labels('node'), labels('wasm')];
      expect(n).toHaveLength(10);
      n.forEach(([file, label, score], i) => {
        expect([file, label]).toEqual(w[i].slice(0, 2));
        expect(Math.abs(Number(score) - Number(w[i][2]))).toBeLessThan(1e-3);
      });
    });

    it('benchmarks the conv4 step on node', () => {
      const r = json(
        'bench',
        '--task omniglot --backend node --backends node --conv-reps 1 --ways 5 --compare-ways 2 --matmul-size 128',
      );
      expect(r.backend).toBe('node');
      expect(r.compute.stepMs).toBeGreaterThan(0);
      expect(r.backends[0]).toMatchObject({ backend: 'node', available: true });
    });
  });
});

/** A 5-way episode of held-out (Tagalog) characters: support/<label>/ with one image each, and 2 query images per class. */
function userEpisode(): { support: string; query: string } {
  const zip = unzipSync(readFileSync(join(DATA, 'images_background_small2.zip')), {
    filter: (f) => f.name.includes('/Tagalog/') && f.name.endsWith('.png'),
  });
  const byChar = new Map<string, [string, Uint8Array][]>();
  for (const [name, bytes] of Object.entries(zip)) {
    const ch = name.split('/').slice(-2, -1)[0];
    byChar.set(ch, [...(byChar.get(ch) ?? []), [name.split('/').pop()!, bytes]]);
  }
  const root = join(tmp, 'episode');
  const query = join(root, 'query');
  mkdirSync(query, { recursive: true });
  for (const ch of [...byChar.keys()].sort().slice(0, 5)) {
    const files = byChar.get(ch)!.sort(([a], [b]) => a.localeCompare(b));
    mkdirSync(join(root, 'support', ch), { recursive: true });
    writeFileSync(join(root, 'support', ch, files[0][0]), files[0][1]);
    for (const [f, b] of files.slice(1, 3)) writeFileSync(join(query, f), b);
  }
  return { support: join(root, 'support'), query };
}
