import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line CI counts ("N passed, N failed, N skipped"), which vitest's own
 * summary is not. Skipped includes todo; a module that failed to load counts as one failure.
 */
export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let tests = 0;
      for (const t of m.children.allTests()) {
        tests++;
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (tests === 0 && m.state() === 'failed') failed++;
    }
    failed += errors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    // tools/run-tests.mjs adds up every package's counts into one closing line.
    const dir = process.env.HYPERMETA_COUNTS_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const name = process.cwd().split(/[\\/]/).pop();
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ passed, failed, skipped }));
    }
  }
}
