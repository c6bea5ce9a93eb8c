import { vitestCoreAlias } from '@hypermeta/test-support/core-source-alias';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // test against core's TypeScript sources, so tests need no prior build of @hypermeta/core
    alias: vitestCoreAlias,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    setupFiles: ['@hypermeta/test-support/vitest-setup-light'],
    reporters: ['default', '@hypermeta/test-support/count-reporter'],
    // Most of these tests wait on a hypermeta child process that computes in one thread, so two
    // test files at a time keep both cores busy (vitest's default on 2 cores is one).
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
