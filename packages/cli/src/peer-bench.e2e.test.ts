import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The side-by-side benchmark with PyTorch (benchmarks/peer.mjs, `npm run bench:peer`) in its tiny
// configuration: one pair per figure, small sizes. It needs PyTorch; where `import torch` fails the
// suite is skipped with the reason (the runner itself would install torch with pip).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PEER = join(ROOT, 'benchmarks', 'peer.mjs');
const PYTHON = process.env.PYTHON ?? 'python3';
const FIGURES = ['conv4Step', 'sinusoidT16', 'sinusoidT64', 'adaptOne', 'adapt1000'];

const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
const torch = probe.status === 0 ? probe.stdout.trim() : undefined;
if (!torch) {
  const why =
    (probe.stderr || probe.error?.message || '').trim().split('\n').pop() || `exit code ${probe.status}`;
  console.log(
    `peer benchmark test skipped: PyTorch is not importable by ${PYTHON} (${why}); \`npm run bench:peer\` installs it`,
  );
}

function peer(...args: string[]) {
  const r = spawnSync(process.execPath, [PEER, '--tiny', '--json', '--no-install', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.runIf(torch)('hypermeta against PyTorch (tiny configuration)', () => {
  it.each(['auto', 'wasm'])(
    'computes the same losses as PyTorch and reports a speed ratio per figure (--backend %s)',
    (backend) => {
      const r = peer('--backend', backend, '--threads', '1');
      if (backend === 'wasm') expect(r.backend).toBe('wasm');
      expect(r).toMatchObject({ threads: 1, torch, pairs: 1, tiny: true });
      expect(Object.keys(r.ratios).sort()).toEqual([...FIGURES].sort());
      for (const f of FIGURES) {
        expect(r.ratios[f]).toBeGreaterThan(0);
        expect(Number.isFinite(r.ratios[f])).toBe(true);
        expect(r.spread[f]).toHaveLength(2);
        expect(r.figures[f].hypermeta.ms).toBeGreaterThan(0);
        expect(r.figures[f].pytorch.ms).toBeGreaterThan(0);
      }
      // Same weights, same inputs: the same losses (and the same loss after one clipped Adam step).
      expect(r.agreement.ok).toBe(true);
      for (const [k, e] of Object.entries(r.agreement.relErrors as Record<string, number>)) {
        expect(e, k).toBeLessThanOrEqual(r.agreement.tolerance[k.split('.')[1]]);
      }
      expect(r.agreement.relErrors['conv4.loss0']).toBeLessThan(1e-4);
      expect(r.agreement.relErrors['sinusoid.loss0']).toBeLessThan(1e-4);
    },
  );
});
