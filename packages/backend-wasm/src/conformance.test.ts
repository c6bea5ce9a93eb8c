import { describe, it } from 'vitest';
import { probeBackends, useBackend } from '@hypermeta/core';
import { conformanceCases } from '@hypermeta/core/conformance';
import './index.js';

// The shared suite from core; an unavailable backend is reported as skipped with its reason.
const status = (await probeBackends()).find((b) => b.name === 'wasm');
if (status?.available) {
  await useBackend('wasm');
  describe('conformance: wasm', () => {
    for (const c of conformanceCases('wasm')) it(c.name, c.run);
  });
} else {
  process.stdout.write(`conformance suite skipped on wasm: ${status?.reason}\n`);
  describe.skip(`conformance: wasm unavailable (${status?.reason})`, () => {
    for (const c of conformanceCases('wasm')) it(c.name, c.run);
  });
}
