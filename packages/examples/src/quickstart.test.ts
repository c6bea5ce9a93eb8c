import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** The README's JavaScript blocks, as written. */
function readmeBlocks(): string[] {
  const readme = readFileSync(here('../../../README.md'), 'utf8');
  return [...readme.matchAll(/```(?:js|javascript)\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('the README library code', () => {
  it('is, block for block, an example file that the tests below run', () => {
    const examples = readdirSync(here('.'))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(here(f), 'utf8'));
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks)
      expect(examples, `README block not found verbatim in packages/examples/src:\n${block}`).toContain(
        block,
      );
  });

  it('quick start: trains, adapts in one pass and beats predicting zero on held-out tasks', () => {
    const r = spawnSync(process.execPath, [here('./quickstart.mjs')], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(['node', 'wasm']).toContain(out.backend); // 'auto': node where tfjs-node is built
    expect(out.steps).toBe(2000);
    // Predicting y = 0 scores E[A²]/2 ≈ 4.2 over the task family, and A²/2 = 2 on the one task.
    expect(out.mse).toBeLessThan(1);
    expect(out.taskMse).toBeLessThan(2);
  });
});
