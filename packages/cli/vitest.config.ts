import { coreSourceAlias } from '../../tools/core-source-alias.js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // test against core's TypeScript sources, so tests need no prior build of @hypermeta/core
    alias: coreSourceAlias,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    setupFiles: ['../../tools/vitest-setup.ts'],
    reporters: ['default', '../../tools/count-reporter.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
