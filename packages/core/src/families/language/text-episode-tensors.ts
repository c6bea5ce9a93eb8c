import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import type { EpisodeTensors } from '../../fewshot/episode-tensors.js';
import { type CharLmOptions, charLmScores, supportByClass } from '../../text/char-lm.js';
import type { TextEpisode } from '../../text/text-types.js';
import { textBatch, type TextIdsOptions } from '../../textnet/text-ids.js';

/**
 * Checks a text episode (labels in range, every class with support, a query) and puts it on the
 * device: support re-ordered class-major (stable), support and query ids padded to one width so
 * one encoder pass covers both. `scored` asks for query labels; `lm` (order > 0) adds each query's
 * character language-model scores under every class's support texts (`pairScores`), or the ones
 * the episode carries (`lmScores`).
 */
export function textEpisodeTensors(
  e: TextEpisode,
  ids: TextIdsOptions,
  scored = true,
  lm?: CharLmOptions,
): EpisodeTensors<tf.Tensor3D> {
  const ways = e.classes.length;
  if (ways < 2) throw new InvalidArgumentError(`an episode needs at least 2 classes, got ${ways}`);
  if (e.supportTexts.length !== e.supportLabels.length)
    throw new InvalidArgumentError('the support texts and labels differ in number');
  const sizes = new Array<number>(ways).fill(0);
  for (const l of e.supportLabels) {
    if (!Number.isInteger(l) || l < 0 || l >= ways)
      throw new InvalidArgumentError(`support label ${l} is not a class index below ${ways}`);
    sizes[l]++;
  }
  const empty = sizes.findIndex((n) => n === 0);
  if (empty >= 0)
    throw new InvalidArgumentError(`class ${e.classes[empty]} has no support example: every class needs one`);
  if (e.queryTexts.length === 0) throw new InvalidArgumentError('the query set is empty');
  if (scored) {
    if (e.queryLabels.length !== e.queryTexts.length)
      throw new InvalidArgumentError('the query texts and labels differ in number');
    if (!e.queryLabels.every((l) => Number.isInteger(l) && l >= 0 && l < ways))
      throw new InvalidArgumentError(`query labels must be class indices below ${ways}`);
  }
  const order = e.supportLabels.map((l, i) => ({ l, i })).sort((a, b) => a.l - b.l || a.i - b.i);
  const texts = [...order.map((o) => e.supportTexts[o.i]), ...e.queryTexts];
  const batch = textBatch(texts, ids);
  const all = tf.tensor3d(batch.ids, batch.shape, 'int32');
  const ns = e.supportTexts.length;
  const [support, query] = tf.split(all, [ns, texts.length - ns], 0) as [tf.Tensor3D, tf.Tensor3D];
  all.dispose();
  const shots = Math.min(...sizes);
  const nq = e.queryTexts.length;
  let pairScores: tf.Tensor3D | undefined;
  if (lm && lm.order > 0) {
    if (e.lmScores && e.lmScores.length !== nq * ways * lm.order)
      throw new InvalidArgumentError(
        `the episode's language-model scores hold ${e.lmScores.length} numbers, not ${nq} × ${ways} × ${lm.order}`,
      );
    const scores = e.lmScores ?? charLmScores(supportByClass(e), e.queryTexts, lm);
    pairScores = tf.tensor3d(scores, [nq, ways, lm.order]);
  }
  return {
    ways,
    shots,
    support,
    query,
    queryLabels: scored ? tf.tensor1d(Int32Array.from(e.queryLabels), 'int32') : undefined,
    ...(sizes.some((n) => n !== shots) ? { classSizes: sizes } : {}),
    ...(pairScores ? { pairScores } : {}),
    ...(e.calibration ? { calibration: true } : {}),
  };
}
