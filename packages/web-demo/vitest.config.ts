import { vitestCoreAlias } from '@hypermeta/test-support/core-source-alias';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // the ink-image test imports the CLI's decoder, which imports core: use core's sources, as the CLI's tests do
  resolve: { alias: vitestCoreAlias },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', '@hypermeta/test-support/count-reporter'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
