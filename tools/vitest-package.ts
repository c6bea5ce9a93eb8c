import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** The vitest settings every package shares: tests beside the code, the CI count line, quiet tfjs. */
export function packageConfig(timeoutMs = 120_000, extra: ViteUserConfig = {}) {
  return defineConfig({
    ...extra,
    test: {
      environment: 'node',
      include: ['src/**/*.test.ts'],
      setupFiles: ['../../tools/vitest-setup.ts'],
      reporters: ['default', '../../tools/count-reporter.ts'],
      testTimeout: timeoutMs,
      ...extra.test,
    },
  });
}
