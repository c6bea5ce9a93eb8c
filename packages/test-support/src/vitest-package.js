// Plain JavaScript: vitest loads its config files with Node, which does not run TypeScript from
// a linked package.
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
      ...extra.test,
    },
  });
}
