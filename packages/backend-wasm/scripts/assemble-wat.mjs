// Assembles src/kernels/*.wat into src/kernels/<name>-wasm.ts (the binary as base64), so the
// package ships plain TypeScript and needs no assembler at build time. Run after editing a .wat:
//   node packages/backend-wasm/scripts/assemble-wat.mjs        (writes)
//   node packages/backend-wasm/scripts/assemble-wat.mjs --check (exit 1 if a .ts is stale)
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'kernels');
const check = process.argv.includes('--check');
const wabt = await wabtInit();

/** The generated module for one .wat file. */
function generated(name, bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  return (
    `// Generated from ${name}.wat by scripts/assemble-wat.mjs; do not edit.\n` +
    `export const ${name.replace(/-(\w)/g, (_, c) => c.toUpperCase())}WasmBase64 =\n  '${base64}';\n`
  );
}

let stale = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const name = file.slice(0, -4);
  let mod;
  try {
    mod = wabt.parseWat(file, readFileSync(join(dir, file), 'utf8'), { simd: true });
  } catch (e) {
    console.error(String(e.message ?? e)); // wabt's own stack would print its whole source
    process.exit(2);
  }
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const out = join(dir, `${name}-wasm.ts`);
  const text = generated(name, buffer);
  if (check) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
      console.error(`${out} is stale: run node packages/backend-wasm/scripts/assemble-wat.mjs`);
      stale++;
    }
  } else {
    writeFileSync(out, text);
    console.log(`${out}: ${buffer.length} bytes`);
  }
}
process.exit(stale ? 1 : 0);
