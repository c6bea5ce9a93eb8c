import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { vitestCoreAlias } from '@hypermeta/test-support/core-source-alias';
import { defineConfig, type Plugin } from 'vite';

// The tfjs wasm binaries: served under wasm/ in dev and copied there by the build (setWasmPaths('wasm/')).
const wasmDir = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
const wasmFiles = readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'));

function tfjsWasmFiles(): Plugin {
  return {
    name: 'tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.match(/\/wasm\/([\w.-]+\.wasm)$/)?.[1];
        if (!name || !wasmFiles.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(wasmDir, name)));
      });
    },
    generateBundle() {
      for (const f of wasmFiles)
        this.emitFile({ type: 'asset', fileName: `wasm/${f}`, source: readFileSync(join(wasmDir, f)) });
    },
  };
}

export default defineConfig({
  base: './',
  appType: 'mpa', // a missing file is a 404, not index.html (the page probes for optional models)
  resolve: {
    // Core from its sources: core's dist inlines tfjs-core's gradient modules (Node's ESM loader
    // needs that), which would put a second partial tfjs-core into the page. Core's first import,
    // tfjs-core's gradient list, registers four gradients twice, and a second registration reads
    // the DEBUG flag, which only tfjs-core's main entry registers: the dev server's pre-bundled
    // gradients module runs first and fails ("Cannot evaluate flag 'DEBUG'"). vitestCoreAlias's
    // stand-in loads the main entry first, as in the tests.
    alias: vitestCoreAlias,
    // One tfjs-core for core, the cpu and the wasm backend: one engine, one kernel registry.
    dedupe: ['@tensorflow/tfjs-core'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  plugins: [tfjsWasmFiles()],
});
