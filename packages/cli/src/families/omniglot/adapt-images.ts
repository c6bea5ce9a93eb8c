import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataError,
  disposeEpisode,
  episodeTensors,
  type FewShotModel,
  fewShotNetwork,
  type NetworkSpec,
  tf,
} from '@hypermeta/core';
import { loadImageFile } from '../../data/omniglot-source.js';
import { isImageName } from '../../data/image-decode.js';
import { writeCsv } from '../../io/csv-write.js';

function imagesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    throw new DataError(`${dir}: cannot read the folder`);
  }
  return names.filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isFile() && isImageName(n));
}

/**
 * Below this fraction of inked pixels an image is blank or nearly so (a stray dot): a model
 * asked to classify one answers with confidence anyway, so it is reported instead.
 */
const MIN_INK = 0.005;

function inkFraction(pixels: Float32Array): number {
  let sum = 0;
  for (const v of pixels) sum += v;
  return sum / pixels.length;
}

/**
 * Classifies unlabeled query images after adapting to `support/<label>/<images>` (labels may have
 * different numbers of images); writes file,label,score as CSV (quoted where a name needs it).
 * Blank support images are refused; blank query images get an empty label and a warning.
 * With `exportNetwork`, returns the adapted network (labels in output order) for `--export`.
 */
export async function adaptOmniglot(
  model: FewShotModel,
  supportDir: string,
  queryDir: string,
  out?: string,
  exportNetwork = false,
): Promise<NetworkSpec | undefined> {
  const size = model.config.imageSize;
  let labels: string[];
  try {
    labels = readdirSync(supportDir)
      .sort()
      .filter((n) => statSync(join(supportDir, n)).isDirectory());
  } catch {
    throw new DataError(`${supportDir}: cannot read the support folder`);
  }
  if (labels.length < 2)
    throw new DataError(`${supportDir}: need one sub-folder per label, at least 2 (found ${labels.length})`);
  const files = labels.map((l) => imagesIn(join(supportDir, l)));
  const empty = labels.filter((_, i) => files[i].length === 0);
  if (empty.length)
    throw new DataError(`${supportDir}: every label needs at least one image (none in ${empty.join(', ')})`);
  const sizes = files.map((f) => f.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const queries = imagesIn(queryDir);
  if (queries.length === 0) throw new DataError(`${queryDir}: no PNG or JPEG images`);
  const px = size * size;
  const support = new Float32Array(total * px);
  let at = 0;
  for (let c = 0; c < labels.length; c++) {
    for (const f of files[c]) {
      const pixels = await loadImageFile(join(supportDir, labels[c], f), size);
      if (inkFraction(pixels) < MIN_INK)
        throw new DataError(
          `${join(supportDir, labels[c], f)}: the image is blank or nearly blank: a support example must show its class`,
        );
      support.set(pixels, at++ * px);
    }
  }
  const query = new Float32Array(queries.length * px);
  const blank = new Set<number>();
  for (let i = 0; i < queries.length; i++) {
    const pixels = await loadImageFile(join(queryDir, queries[i]), size);
    if (inkFraction(pixels) < MIN_INK) blank.add(i);
    query.set(pixels, i * px);
  }
  if (blank.size)
    process.stderr.write(
      `hypermeta: warning: ${blank.size} query image(s) are blank or nearly blank and are not classified (empty label): ${[
        ...blank,
      ]
        .slice(0, 3)
        .map((i) => queries[i])
        .join(', ')}${blank.size > 3 ? ', …' : ''}\n`,
    );
  const uneven = sizes.some((n) => n !== sizes[0]);
  const ep = episodeTensors({
    ways: labels.length,
    shots: Math.min(...sizes),
    ...(uneven ? { classSizes: sizes } : {}),
    support,
    supportShape: [total, size, size, 1],
    query,
    queryShape: [queries.length, size, size, 1],
  });
  const logits = model.queryLogits(ep);
  const probs = tf.tidy(() => tf.softmax(logits).arraySync() as number[][]);
  tf.dispose(logits);
  let network: NetworkSpec | undefined;
  try {
    if (exportNetwork) network = fewShotNetwork(model, ep, labels);
  } finally {
    disposeEpisode(ep);
  }
  const rows = probs.map((p, i) => {
    if (blank.has(i)) return [queries[i], '', ''];
    const best = p.indexOf(Math.max(...p));
    return [queries[i], labels[best], p[best].toFixed(6)];
  });
  writeCsv(out, ['file', 'label', 'score'], rows);
  return network;
}
