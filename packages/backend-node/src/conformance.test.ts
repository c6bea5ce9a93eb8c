import { describe, it } from 'vitest';
import { probeBackends, useBackend } from '@hypermeta/core';
import { conformanceCases } from '@hypermeta/core/conformance';
import './index.js';

// The shared suite from core; an unavailable backend is reported as skipped with its reason.
const status = (await probeBackends()).find((b) => b.name === 'node');
if (status?.available) {
  await useBackend('node');
  describe('conformance: node', () => {
    for (const c of conformanceCases('tensorflow')) it(c.name, c.run);
  });
} else {
  process.stdout.write(`conformance suite skipped on node: ${status?.reason}\n`);
  describe.skip(`conformance: node unavailable (${status?.reason})`, () => {
    for (const c of conformanceCases('tensorflow')) it(c.name, c.run);
  });
}
