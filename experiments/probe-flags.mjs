// What the language probes share: reading their flags, and the classes and bank languages of a
// split (calib: every fifth training language as the episodes' classes, the other training
// languages as the bank, so no class is in the bank, as no held-out language is; heldout: the
// eval command's held-out languages, all training languages as the bank).
import { Rng } from '@hypermeta/core';
import { loadUdhrCorpus } from '../packages/cli/dist/data/udhr/index.js';

/** `value(name, fallback)` reads `--name VALUE`; `has(name)` whether `--name` is given. */
export function probeFlags(argv = process.argv.slice(2)) {
  return {
    value(name, fallback) {
      const i = argv.indexOf(`--${name}`);
      return i >= 0 ? argv[i + 1] : fallback;
    },
    has: (name) => argv.includes(`--${name}`),
  };
}

/**
 * The episodes' classes and the bank's languages of `split` ('calib' or 'heldout') from the udhr
 * package, and the random stream the split's episodes are drawn with (heldout: the eval command's,
 * so its episodes are the eval's).
 */
export async function loadSplit(split) {
  const corpus = await loadUdhrCorpus();
  const heldout = split === 'heldout';
  return {
    classes: heldout ? corpus.heldOut : corpus.train.filter((_, i) => i % 5 === 4),
    bankClasses: heldout ? corpus.train : corpus.train.filter((_, i) => i % 5 !== 4),
    rng: heldout ? Rng.fromSeed(1, 'language-eval') : Rng.fromSeed(11, 'lm-bank'),
  };
}

/**
 * The flags every episode probe reads: --split (calib or heldout), --ways and
 * --episodes, with the probe's defaults.
 */
export function episodeFlags({ split = 'calib', ways, episodes }) {
  const flags = probeFlags();
  return {
    flags,
    split: flags.value('split', split),
    ways: Number(flags.value('ways', ways)),
    episodes: Number(flags.value('episodes', episodes)),
  };
}
