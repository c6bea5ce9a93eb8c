import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Training metrics as JSON lines (metrics.jsonl in the run folder), appended as they come. */
export class MetricsLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, JSON.stringify(record) + '\n');
  }
}
