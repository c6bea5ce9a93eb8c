import type { ExportedNetwork } from '@hypermeta/core';

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** One line for stderr: what was written and what one query costs the exported network. */
export function exportSummary(dir: string, e: ExportedNetwork): string {
  const files = Object.entries(e.files)
    .map(([name, bytes]) => `${name} ${kB(bytes.byteLength)}`)
    .join(', ');
  const c = e.cost;
  return (
    `exported to ${dir}: ${files}; ${c.params.toLocaleString('en')} parameters; per query ` +
    `${c.flops.toLocaleString('en')} FLOPs and ${kB(c.peakActivationBytes)} of activations at most`
  );
}
