import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the library quick start trains, adapts and beats predicting zero', () => {
  const script = fileURLToPath(new URL('./quickstart.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '400'], { encoding: 'utf8', timeout: 240_000 });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim());
  expect(out.backend).toBe('wasm');
  expect(out.steps).toBe(400);
  // Predicting y = 0 scores E[A²]/2 ≈ 4.2 over the task family.
  expect(out.evalMse).toBeLessThan(2.5);
  expect(Number.isFinite(out.taskMse)).toBe(true);
});
