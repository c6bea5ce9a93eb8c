import { lazyModule } from '../lazy-module.js';
import { writeOutputFile } from './atomic-file.js';

const csvStringify = lazyModule<typeof import('csv-stringify/sync')>('csv-stringify/sync');

export type CsvCell = string | number;

/**
 * CSV text (RFC 4180): the header line, then one line per row, '\n' line ends and a final one.
 * A cell holding a comma, a double quote or a line break ('\r' included) is quoted, its quotes
 * doubled, so any label or file name reads back as it was. Numbers are written as String(n).
 */
export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return csvStringify().stringify([header, ...rows] as CsvCell[][], {
    record_delimiter: 'unix',
    quoted_match: /\r/,
  });
}

/**
 * Writes CSV to the file `out`, atomically (all of it or nothing; a folder, a missing parent or
 * a full disk is one DataError line), or to standard output when `out` is not given.
 */
export function writeCsv(
  out: string | undefined,
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
): void {
  const text = csvText(header, rows);
  if (out) writeOutputFile(out, text);
  else process.stdout.write(text);
}
