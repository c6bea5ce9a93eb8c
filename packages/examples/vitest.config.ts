import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    reporters: ['default', '@hypermeta/test-support/count-reporter'],
    testTimeout: 300_000,
  },
});
