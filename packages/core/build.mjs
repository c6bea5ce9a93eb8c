// Bundles core with esbuild so the gradient registrations (extension-less ESM inside
// tfjs-core) load under plain Node; tfjs-core itself stays external: one engine, one copy.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: { index: 'src/index.ts', backend: 'src/backend.ts', conformance: 'src/conformance/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-tfjs-entries',
      setup(b) {
        b.onResolve({ filter: /^(@tensorflow\/tfjs-(core|backend-cpu)|pure-rand(\/.*)?)$/ }, (a) => ({
          path: a.path,
          external: true,
        }));
      },
    },
  ],
});
