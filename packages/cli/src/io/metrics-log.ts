import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from '@hypermeta/core';
import { writeFileAtomic } from './atomic-file.js';
import { fsProblem, isFsError } from './fs-problem.js';

/** Training metrics as JSON lines (metrics.jsonl in the run folder), appended as they come. */
export class MetricsLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    try {
      appendFileSync(this.path, JSON.stringify(record) + '\n');
    } catch (e) {
      if (!isFsError(e)) throw e;
      throw new DataError(`${this.path}: cannot append to the metrics log: ${fsProblem(e)}`);
    }
  }

  /**
   * Keeps only lines up to `step` (a resumed or rolled-back run redoes later steps, and a plot
   * must never show a step twice); a torn last line from a killed run goes too. Atomic.
   */
  dropAfter(step: number): void {
    if (!existsSync(this.path)) return;
    const kept = readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => {
        try {
          const s = (JSON.parse(line) as { step?: unknown }).step;
          return typeof s === 'number' && s <= step;
        } catch {
          return false;
        }
      });
    writeFileAtomic(this.path, kept.map((l) => l + '\n').join(''));
  }
}
