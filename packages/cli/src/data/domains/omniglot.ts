import { InvalidArgumentError, splitByAlphabet } from '@hypermeta/core';
import { loadOmniglot } from '../omniglot-source.js';
import type { DomainContext, DomainData, DomainLoader } from './registry.js';

/**
 * Omniglot (the training domain): its training alphabets to train on, the held-out ones (the last
 * --held-out by name) to evaluate on. Meta-Dataset draws its Omniglot episodes within one alphabet.
 */
async function load(ctx: DomainContext): Promise<DomainData> {
  if (!ctx.omniglotDir)
    throw new InvalidArgumentError('the omniglot domain needs --data-dir DIR (the Omniglot zips or folders)');
  const set = await loadOmniglot(ctx.omniglotDir, { cacheDir: ctx.cacheDir, size: ctx.size });
  const split = splitByAlphabet(set, ctx.heldOut);
  return { train: split.train, test: split.test, withinGroup: true };
}

export const omniglotDomain: DomainLoader = {
  name: 'omniglot',
  summary: 'Omniglot handwritten characters (--data-dir): training alphabets / held-out alphabets',
  takesPath: false,
  load,
};
