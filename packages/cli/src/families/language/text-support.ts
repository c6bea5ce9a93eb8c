import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, normaliseText, type TextEpisode } from '@hypermeta/core';
import { readTextBounded } from '../../io/input-limits.js';

const IGNORED = /^(\..*|Thumbs\.db|desktop\.ini)$/i;

function names(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !IGNORED.test(n))
      .sort();
  } catch (e) {
    throw new DataError(`cannot read folder ${dir} (${(e as Error).message})`);
  }
}

/**
 * adapt's support set: `<dir>/<label>/<file>.txt`, each file one example (NFC, white space
 * folded). Labels may have different numbers of files; at least two labels, each with a text.
 */
export function readSupportFolder(
  dir: string,
): Pick<TextEpisode, 'classes' | 'supportTexts' | 'supportLabels'> {
  const labels = names(dir).filter((n) => statSync(join(dir, n)).isDirectory());
  if (labels.length < 2)
    throw new DataError(
      `${dir}: the support folder needs one sub-folder of .txt files per label (at least 2), found ${labels.length}`,
    );
  const supportTexts: string[] = [];
  const supportLabels: number[] = [];
  labels.forEach((label, c) => {
    const files = names(join(dir, label)).filter((n) => /\.txt$/i.test(n));
    for (const f of files) {
      const text = normaliseText(readTextBounded(join(dir, label, f)));
      if (!text) throw new DataError(`${join(dir, label, f)}: empty example (the file holds no text)`);
      supportTexts.push(text);
      supportLabels.push(c);
    }
    if (!files.length)
      throw new DataError(`${join(dir, label)}: no .txt support example for label "${label}"`);
  });
  return { classes: labels, supportTexts, supportLabels };
}
