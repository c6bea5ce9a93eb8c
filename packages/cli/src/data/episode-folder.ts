import { join } from 'node:path';
import { DataError, type Episode } from '@hypermeta/core';
import { readFileBounded } from '../io/input-limits.js';
import { listEpisodeFolder } from './episode-folders.js';
import { checkImageSize, decodeImage, isImageName } from './image-decode.js';

const list = (dir: string) => listEpisodeFolder(dir, isImageName, 'not an image (PNG or JPEG expected)');

/**
 * A user's own episode, shaped like a sampled one. Query labels are null when `query/`
 * holds images directly (unlabeled); queryNames always names each query image.
 */
export interface FolderEpisode extends Omit<Episode, 'queries' | 'queryLabels' | 'classes'> {
  /** Label index -> label folder name (sorted). */
  labelNames: string[];
  queryLabels: Int32Array | null;
  /** 'label/file' for labeled queries, 'file' for unlabeled ones. */
  queryNames: string[];
}

/** Reads one PNG or JPEG file (at most the input limit in bytes) with the same conversion as the data sets (ink = 1, size x size). */
export async function loadImageFile(path: string, size: number): Promise<Float32Array> {
  checkImageSize(size);
  let bytes: Buffer;
  try {
    bytes = readFileBounded(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read image ${path} (${(e as Error).message})`);
  }
  return decodeImage(bytes, path, size);
}

async function loadAll(
  dir: string,
  files: string[],
  size: number,
  into: Float32Array,
  at: number,
): Promise<void> {
  const px = size * size;
  for (let i = 0; i < files.length; i++)
    into.set(await loadImageFile(join(dir, files[i]), size), (at + i) * px);
}

/**
 * Reads `support/<label>/<images>` and optionally `query/<label>/<images>` or `query/<images>`.
 * Labels are numbered by sorted folder name; support must hold the same number of images per label.
 */
export async function loadEpisodeFolder(dir: string, size: number): Promise<FolderEpisode> {
  checkImageSize(size);
  const top = list(dir);
  if (!top.dirs.includes('support'))
    throw new DataError(`${dir}: missing support/ folder (support/<label>/<images>)`);
  const support = list(join(dir, 'support'));
  if (support.files.length)
    throw new DataError(`${join(dir, 'support')}: images must sit in one folder per label`);
  const labelNames = support.dirs;
  if (labelNames.length < 2)
    throw new DataError(`${join(dir, 'support')}: need at least 2 label folders, found ${labelNames.length}`);
  const perLabel = labelNames.map((l) => {
    const inner = list(join(dir, 'support', l));
    if (inner.dirs.length)
      throw new DataError(`${join(dir, 'support', l)}: unexpected sub-folder ${inner.dirs[0]}`);
    return inner.files;
  });
  const shots = perLabel[0].length;
  if (perLabel.some((f) => f.length !== shots) || shots === 0) {
    const counts = labelNames.map((l, i) => `${l}: ${perLabel[i].length}`).join(', ');
    throw new DataError(
      `${join(dir, 'support')}: every label needs the same number (>= 1) of images (${counts})`,
    );
  }
  const ways = labelNames.length;
  const px = size * size;
  const supportPx = new Float32Array(ways * shots * px);
  const supportLabels = new Int32Array(ways * shots);
  for (let c = 0; c < ways; c++) {
    await loadAll(join(dir, 'support', labelNames[c]), perLabel[c], size, supportPx, c * shots);
    supportLabels.fill(c, c * shots, (c + 1) * shots);
  }

  const queryNames: string[] = [];
  const files: { dir: string; file: string; label: number }[] = [];
  let labeled = false;
  if (top.dirs.includes('query')) {
    const q = list(join(dir, 'query'));
    if (q.dirs.length && q.files.length) {
      throw new DataError(`${join(dir, 'query')}: use either label folders or loose images, not both`);
    }
    labeled = q.dirs.length > 0;
    for (const f of q.files) files.push({ dir: join(dir, 'query'), file: f, label: -1 });
    for (const l of q.dirs) {
      const label = labelNames.indexOf(l);
      if (label < 0) throw new DataError(`${join(dir, 'query', l)}: label "${l}" has no support images`);
      const inner = list(join(dir, 'query', l));
      if (inner.dirs.length)
        throw new DataError(`${join(dir, 'query', l)}: unexpected sub-folder ${inner.dirs[0]}`);
      for (const f of inner.files) files.push({ dir: join(dir, 'query', l), file: f, label });
    }
  }
  const query = new Float32Array(files.length * px);
  const queryLabels = labeled ? new Int32Array(files.length) : null;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    query.set(await loadImageFile(join(f.dir, f.file), size), i * px);
    if (queryLabels) queryLabels[i] = f.label;
    queryNames.push(labeled ? `${labelNames[f.label]}/${f.file}` : f.file);
  }
  return {
    ways,
    shots,
    size,
    support: supportPx,
    supportShape: [ways * shots, size, size, 1],
    supportLabels,
    query,
    queryShape: [files.length, size, size, 1],
    labelNames,
    queryLabels,
    queryNames,
  };
}
