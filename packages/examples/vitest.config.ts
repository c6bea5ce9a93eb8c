import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    reporters: ['default', '../../tools/count-reporter.ts'],
    testTimeout: 300_000,
  },
});
