import { DataError, disposeEpisode, type LanguageModel, tf } from '@hypermeta/core';
import { readQueryLines } from '../../data/udhr/index.js';
import { writeCsv } from '../../io/csv-write.js';
import { readSupportFolder } from './text-support.js';

/** Queries classified per pass: bounds the memory of a long query file. */
const CHUNK = 512;

/**
 * Adapts to the support folder's labels and classifies every line of the query file (or of a
 * folder's .txt files): writes text,label,score as CSV, quoted wherever a text needs it; the score
 * is the label's softmax probability.
 */
export async function adaptLanguage(
  model: LanguageModel,
  supportDir: string,
  query: string,
  out?: string,
): Promise<void> {
  const support = readSupportFolder(supportDir);
  const lines = await readQueryLines(query);
  const rows: [string, string, number][] = [];
  for (let start = 0; start < lines.length; start += CHUNK) {
    const queryTexts = lines.slice(start, start + CHUNK);
    const ep = model.episodeTensors({ ...support, queryTexts, queryLabels: [] }, false);
    try {
      const [best, score] = tf.tidy(() => {
        const probs = tf.softmax(model.queryLogits(ep));
        return [tf.argMax(probs, 1).dataSync(), tf.max(probs, 1).dataSync()];
      });
      queryTexts.forEach((t, i) => rows.push([t, support.classes[best[i]], Number(score[i].toFixed(6))]));
    } finally {
      disposeEpisode(ep);
    }
  }
  if (!rows.length) throw new DataError(`${query}: no queries`);
  writeCsv(out, ['text', 'label', 'score'], rows);
}
