import { isUtf8 } from 'node:buffer';
import type { Options } from 'csv-parse';
import { DataError } from '@hypermeta/core';
import { lazyModule } from '../lazy-module.js';
import { parseDecimal } from '../options.js';
import { readFileBounded } from './input-limits.js';

const csvParse = lazyModule<typeof import('csv-parse/sync')>('csv-parse/sync');

/**
 * Most data rows a numeric CSV may have: the largest any command takes (adapt's query points).
 * It bounds the parsed rows' memory: a million two-column rows took about 220 MB (measured).
 */
export const MAX_CSV_ROWS = 1_000_000;

/**
 * Longest row, in bytes: room for a hundred columns of full-precision numbers. It keeps one
 * enormous cell (a 256 MiB run of digits is a valid number) from taking 4x its size to parse.
 */
export const MAX_CSV_ROW_BYTES = 4096;

/** The file's bytes, at most the input limit (`--max-input-mb`), UTF-8 (a leading byte-order mark is allowed). */
function readCsvBytes(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileBounded(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${path}: cannot read the file`);
  }
  if (!isUtf8(bytes)) throw new DataError(`${path}: not UTF-8 text`);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (bytes.subarray(bom).every((b) => b === 0x20 || (b >= 0x09 && b <= 0x0d)))
    throw new DataError(`${path}: the file is empty`);
  return bytes;
}

/** A value quoted in a message, cut to 40 characters (a cell may be megabytes long). */
const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Reads a CSV whose header is exactly `columns`; every value must be a finite decimal number
 * (`0x10`, `Infinity` and empty cells are refused). At most the input limit in bytes and
 * MAX_CSV_ROWS data rows: parsing stops at the first row over.
 */
export function readNumericCsv(path: string, columns: readonly string[]): number[][] {
  const bytes = readCsvBytes(path);
  let header = false;
  let rows: number[][];
  let count = 0;
  try {
    rows = (csvParse().parse as (input: Buffer, options: Options<number[], string[]>) => number[][])(bytes, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: false,
      max_record_size: MAX_CSV_ROW_BYTES,
      // each record becomes numbers as it is parsed, so no table of strings is ever held
      on_record: (record: string[], { lines }): number[] | null => {
        if (!header) {
          header = true;
          const names = record.map((h) => h.toLowerCase());
          if (names.length !== columns.length || names.some((h, i) => h !== columns[i])) {
            throw new DataError(
              `${path}: the header must be '${columns.join(',')}', found '${clip(record.join(','))}'`,
            );
          }
          return null;
        }
        if (++count > MAX_CSV_ROWS) throw new DataError(`${path}: more than ${MAX_CSV_ROWS} data rows`);
        return record.map((cell, c) => {
          const v = parseDecimal(cell);
          if (!Number.isFinite(v))
            throw new DataError(
              `${path}: line ${lines}, column ${columns[c]}: '${clip(cell)}' is not a finite number (decimal notation expected)`,
            );
          return v;
        });
      },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    const { code, lines } = e as { code?: string; lines?: number };
    if (code === 'CSV_MAX_RECORD_SIZE')
      throw new DataError(`${path}: line ${lines} is longer than ${MAX_CSV_ROW_BYTES} bytes`);
    throw new DataError(`${path}: not a valid CSV (${(e as Error).message.split('\n')[0]})`);
  }
  if (rows.length === 0) throw new DataError(`${path}: no data rows after the header`);
  return rows;
}
