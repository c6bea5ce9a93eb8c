import { Command, Option } from 'commander';
import { backendOption } from '../backend-select.js';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { DataError, FewShotModel, InvalidArgumentError, Rng, SINUSOID, tf } from '@hypermeta/core';
import { adaptOmniglot } from './adapt-omniglot.js';
import { selectBackend } from '../backend-select.js';
import { readNumericCsv } from '../io/csv-points.js';
import { asSinusoid, loadForInference } from './load-model.js';

export interface AdaptOptions {
  checkpoint: string;
  support: string;
  query?: string;
  out?: string;
  backend: string;
}

/** Query inputs: the CSV's, or 101 evenly spaced points over the training input range. */
function queryInputs(path: string | undefined): number[] {
  if (path) return readNumericCsv(path, ['x']).map((r) => r[0]);
  const [lo, hi] = SINUSOID.x;
  return Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
}

/** Image few-shot: --support is a folder of label folders, --query a folder of images. */
async function adaptImages(o: AdaptOptions): Promise<void> {
  if (!o.query) throw new InvalidArgumentError('adapting an image classifier needs --query DIR (a folder of images to label)');
  await selectBackend(o.backend);
  const { model } = await loadForInference(o.checkpoint);
  try {
    if (!(model instanceof FewShotModel)) throw new InvalidArgumentError(`--support ${o.support} is a folder of images, but the checkpoint is for task '${model.config.task}' (use a CSV for sinusoid)`);
    await adaptOmniglot(model, o.support, o.query, o.out);
  } finally {
    model.dispose();
  }
}

export async function adaptCommand(o: AdaptOptions): Promise<void> {
  if (existsSync(o.support) && statSync(o.support).isDirectory()) return adaptImages(o);
  const support = readNumericCsv(o.support, ['x', 'y']);
  const xq = queryInputs(o.query);
  if (support.length > 100_000 || xq.length > 1_000_000) throw new DataError('too many points (at most 100000 support and 1000000 query rows)');
  await selectBackend(o.backend);
  const loaded = await loadForInference(o.checkpoint);
  const { manifest } = loaded;
  const model = asSinusoid(loaded.model, 'adapt --support FILE.csv');
  const K = support.length;
  const batch = {
    supportX: tf.tensor3d(support.map((r) => r[0]), [1, K, 1]),
    supportY: tf.tensor3d(support.map((r) => r[1]), [1, K, 1]),
    queryX: tf.tensor3d(xq, [1, xq.length, 1]),
  };
  const pred = model.predict(batch, Rng.fromSeed(manifest.train.seed, 'adapt'));
  const ys = pred.dataSync();
  tf.dispose([pred, batch.supportX, batch.supportY, batch.queryX]);
  model.dispose();
  const csv = 'x,y\n' + xq.map((x, i) => `${x},${ys[i]}`).join('\n') + '\n';
  if (o.out) writeFileSync(o.out, csv);
  else process.stdout.write(csv);
}

/** `hypermeta adapt`: its flags and help. */
export function adaptSpec(): Command {
  return new Command('adapt')
    .description('adapt to one task and predict: sinusoid from a CSV of support points (x,y); omniglot from support/<label>/<images> folders')
    .requiredOption('--checkpoint <dir>', 'checkpoint or run folder')
    .requiredOption('--support <file>', 'CSV with header x,y (sinusoid), or a folder with one sub-folder of images per label (omniglot)')
    .option('--query <file>', 'CSV with header x (sinusoid; default 101 points over [-5, 5]), or a folder of images to label (omniglot)')
    .option('--out <file>', 'where to write the predictions: x,y (sinusoid) or file,label,score (omniglot); default stdout')
    .addOption(backendOption())
    .action((o) => adaptCommand(o));
}
