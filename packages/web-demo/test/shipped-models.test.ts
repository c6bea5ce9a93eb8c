import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const models = fileURLToPath(new URL('../public/models', import.meta.url));

/** Every string value in a JSON document. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

it('shipped checkpoints hold no path of the machine that made them', () => {
  const folders = readdirSync(models, { withFileTypes: true }).filter((d) => d.isDirectory());
  expect(folders.length).toBeGreaterThan(0);
  for (const f of folders) {
    const manifest = JSON.parse(readFileSync(join(models, f.name, 'checkpoint.json'), 'utf8'));
    const paths = strings(manifest).filter(
      (s) => /^(\/|[A-Za-z]:\\|~\/)/.test(s) || s.includes('/home/') || s.includes('/work/'),
    );
    expect(paths, `${f.name}/checkpoint.json`).toEqual([]);
    expect(manifest.model.dataDir).toBeUndefined();
  }
});
