import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    setupFiles: ['../../tools/vitest-setup.ts'],
    reporters: ['default', '../../tools/count-reporter.ts'],
    testTimeout: 120_000,
  },
});
