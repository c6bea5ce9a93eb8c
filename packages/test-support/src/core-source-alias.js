// Plain JavaScript: vite and vitest load their config files with Node, which does not run
// TypeScript from a linked package.
import { fileURLToPath } from 'node:url';

/** @param {string} file */
const src = (file) => fileURLToPath(new URL(`../../core/src/${file}`, import.meta.url));

/**
 * Resolves @hypermeta/core and its subpaths to core's TypeScript sources, so tests (and the web
 * demo's bundle) need no prior build of core. Exact matches: a prefix alias would turn
 * '@hypermeta/core/backend' into 'index.ts/backend'.
 */
export const coreSourceAlias = [
  { find: /^@hypermeta\/core$/, replacement: src('index.ts') },
  { find: /^@hypermeta\/core\/backend$/, replacement: src('backend.ts') },
  { find: /^@hypermeta\/core\/conformance$/, replacement: src('conformance/index.ts') },
];

/**
 * coreSourceAlias for vitest: also loads tfjs-core's CommonJS main before core's gradient
 * registrations (tfjs-gradients.js says why), so a test process has one tfjs engine and Tensor class.
 */
export const vitestCoreAlias = [
  ...coreSourceAlias,
  {
    find: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients$/,
    replacement: fileURLToPath(new URL('./tfjs-gradients.js', import.meta.url)),
  },
];
