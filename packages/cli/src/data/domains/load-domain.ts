import type { ImageDomain } from '@hypermeta/core';
import type { DomainContext, DomainData, DomainSpec } from './registry.js';

/** A loaded domain: its images and how long loading took (cold: built; warm: read from the cache). */
export interface LoadedDomain extends DomainData {
  label: string;
  ms: number;
}

/** Loads one parsed domain, timed. */
export async function loadDomain(spec: DomainSpec, ctx: DomainContext): Promise<LoadedDomain> {
  const t0 = performance.now();
  const data = await spec.loader.load(ctx, spec.path);
  return { ...data, label: spec.label, ms: performance.now() - t0 };
}

/** The training part of loaded domains as core takes them. */
export function trainingDomains(loaded: readonly LoadedDomain[]): ImageDomain[] {
  return loaded.map((d) => ({ name: d.label, set: d.train, withinGroup: d.withinGroup }));
}
