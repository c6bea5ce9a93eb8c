// Plain JavaScript: vitest loads its config files with Node, which does not run TypeScript from
// a linked package.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares: tests beside the code, the CI count line, quiet tfjs.
 * @param {number} [timeoutMs]
 * @param {import('vitest/config').ViteUserConfig} [extra]
 */
export function packageConfig(timeoutMs = 120_000, extra = {}) {
  return defineConfig({
    ...extra,
    test: {
      environment: 'node',
      include: ['src/**/*.test.ts'],
      setupFiles: ['@hypermeta/test-support/vitest-setup'],
      reporters: ['default', '@hypermeta/test-support/count-reporter'],
      testTimeout: timeoutMs,
      // vitest's default is one worker fewer than the cores: one on a 2-core machine. The tests
      // compute in one thread each, so two files at a time keep both cores busy there (core's
      // suite: 118 s instead of 204 s)
      maxWorkers: Math.max(2, availableParallelism() - 1),
      ...extra.test,
    },
  });
}
