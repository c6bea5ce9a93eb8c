import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it("a user's uncaught error after loading the wasm backend is their own: Node's exit code 1, their stack, no wasm frames", () => {
  // The script sits in this package so that it resolves the workspace's packages (their built dist).
  const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.tmp-'));
  try {
    const script = join(dir, 'uncaught.mjs');
    writeFileSync(
      script,
      "import { useBackend } from '@hypermeta/core';\nimport '@hypermeta/backend-wasm';\nawait useBackend('wasm');\nthrow new Error('a bug of the user');\n",
    );
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Error: a bug of the user/);
    expect(r.stderr).not.toMatch(/tf-backend-wasm/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
