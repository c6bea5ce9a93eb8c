import type { IdRows } from './embedding-bag.js';

/**
 * Each text's n-gram counts folded into `size` signed coordinates (a count sketch: n-gram id →
 * one coordinate and a sign, both from a hash), scaled to unit length → [n × size], row-major.
 * Inner products of sketches estimate the cosine similarity of the n-gram count profiles, so this
 * part of the embedding keeps the exact-match evidence (a rare trigram shared by support and
 * query) that a learned low-dimensional embedding blurs. It has no parameters: it works the same
 * for languages training never saw.
 */
export function ngramSketch({ data, n, w, stride, start }: IdRows, size: number): Float32Array {
  const out = new Float32Array(n * size);
  for (let r = 0; r < n; r++) {
    const row = out.subarray(r * size, (r + 1) * size);
    for (let j = 0; j < w; j++) {
      const id = data[r * stride + start + j];
      if (id === 0) continue;
      const h = Math.imul(id, 0x9e3779b1) >>> 0;
      row[h % size] += (h >>> 31) & 1 ? 1 : -1;
    }
    let norm = 0;
    for (const v of row) norm += v * v;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < size; k++) row[k] *= inv;
  }
  return out;
}
