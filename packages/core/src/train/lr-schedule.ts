/** Cosine decay from `start` to `end` over `steps` (after a short linear warm-up). */
export function cosineLr(step: number, steps: number, start: number, end: number, warmup = 0): number {
  if (step < warmup) return (start * (step + 1)) / warmup;
  const p = Math.min(1, (step - warmup) / Math.max(1, steps - warmup));
  return end + 0.5 * (start - end) * (1 + Math.cos(Math.PI * p));
}
