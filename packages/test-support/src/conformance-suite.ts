import { describe, it } from 'vitest';
import { probeBackends, useBackend } from '@hypermeta/core';
import { conformanceCases } from '@hypermeta/core/conformance';

/**
 * Runs core's conformance suite on one backend (already registered by the caller's import).
 * A backend that cannot load here is reported as skipped, with its reason, never as passed.
 */
export async function runConformanceSuite(name: string, tfName: string): Promise<void> {
  const status = (await probeBackends()).find((b) => b.name === name);
  if (status?.available) {
    await useBackend(name);
    describe(`conformance: ${name}`, () => {
      for (const c of conformanceCases(tfName)) it(c.name, c.run);
    });
    return;
  }
  process.stdout.write(`conformance suite skipped on ${name}: ${status?.reason}\n`);
  describe.skip(`conformance: ${name} unavailable (${status?.reason})`, () => {
    for (const c of conformanceCases(tfName)) it(c.name, c.run);
  });
}
