import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, disposeEpisode, episodeTensors, type FewShotModel, tf } from '@hypermeta/core';
import { loadImageFile } from '../../data/omniglot-source.js';
import { isImageName } from '../../data/image-decode.js';

function imagesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    throw new DataError(`${dir}: cannot read the folder`);
  }
  return names.filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isFile() && isImageName(n));
}

/** Classifies unlabeled query images after adapting to `support/<label>/<images>`; writes file,label,score. */
export async function adaptOmniglot(model: FewShotModel, supportDir: string, queryDir: string, out?: string): Promise<void> {
  const size = model.config.imageSize;
  let labels: string[];
  try {
    labels = readdirSync(supportDir).sort().filter((n) => statSync(join(supportDir, n)).isDirectory());
  } catch {
    throw new DataError(`${supportDir}: cannot read the support folder`);
  }
  if (labels.length < 2) throw new DataError(`${supportDir}: need one sub-folder per label, at least 2 (found ${labels.length})`);
  const files = labels.map((l) => imagesIn(join(supportDir, l)));
  const shots = files[0].length;
  if (shots === 0 || files.some((f) => f.length !== shots)) throw new DataError(`${supportDir}: every label needs the same number (≥ 1) of images (${labels.map((l, i) => `${l}: ${files[i].length}`).join(', ')})`);
  const queries = imagesIn(queryDir);
  if (queries.length === 0) throw new DataError(`${queryDir}: no PNG or JPEG images`);
  const px = size * size;
  const support = new Float32Array(labels.length * shots * px);
  for (let c = 0; c < labels.length; c++) for (let s = 0; s < shots; s++) support.set(await loadImageFile(join(supportDir, labels[c], files[c][s]), size), (c * shots + s) * px);
  const query = new Float32Array(queries.length * px);
  for (let i = 0; i < queries.length; i++) query.set(await loadImageFile(join(queryDir, queries[i]), size), i * px);
  const ep = episodeTensors({ ways: labels.length, shots, support, supportShape: [labels.length * shots, size, size, 1], query, queryShape: [queries.length, size, size, 1] });
  const logits = model.queryLogits(ep);
  const probs = tf.tidy(() => tf.softmax(logits).arraySync() as number[][]);
  tf.dispose(logits);
  disposeEpisode(ep);
  const rows = probs.map((p, i) => {
    const best = p.indexOf(Math.max(...p));
    return `${JSON.stringify(queries[i]).slice(1, -1)},${labels[best]},${p[best].toFixed(6)}`;
  });
  const csv = ['file,label,score', ...rows].join('\n') + '\n';
  if (out) writeFileSync(out, csv);
  else process.stdout.write(csv);
}
