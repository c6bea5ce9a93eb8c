import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError } from '@hypermeta/core';

function readText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`${path}: cannot read the file`);
  }
  if (text.trim() === '') throw new DataError(`${path}: the file is empty`);
  return text;
}

/** Reads a CSV whose header is exactly `columns`; every value must be a finite number. */
export function readNumericCsv(path: string, columns: readonly string[]): number[][] {
  let rows: string[][];
  try {
    rows = parse(readText(path), { trim: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    throw new DataError(`${path}: not a valid CSV (${(e as Error).message.split('\n')[0]})`);
  }
  const header = rows[0].map((h) => h.toLowerCase());
  if (header.length !== columns.length || header.some((h, i) => h !== columns[i])) {
    throw new DataError(`${path}: the header must be '${columns.join(',')}', found '${rows[0].join(',')}'`);
  }
  if (rows.length < 2) throw new DataError(`${path}: no data rows after the header`);
  return rows.slice(1).map((row, r) =>
    row.map((cell, c) => {
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw new DataError(`${path}: line ${r + 2}, column ${columns[c]}: '${cell}' is not a finite number`);
      return v;
    }),
  );
}
