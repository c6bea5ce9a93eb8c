import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // test against core's TypeScript sources, so tests need no prior build of @hypermeta/core
    alias: { '@hypermeta/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) },
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
