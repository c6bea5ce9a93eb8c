export {
  saveCheckpointDir,
  listCheckpoints,
  resolveCheckpointDir,
  folderReader,
} from './io/checkpoint-dir.js';
export { readNumericCsv } from './io/csv-points.js';
export { selectBackend } from './backend-select.js';
export { createProgram } from './program.js';
export { registerCliFamily, unregisterCliFamily, cliFamilies } from './families/registry.js';
export type { AdaptRequest, CliFamily, FamilyFlags, Flags } from './families/cli-family.js';
export { loadForInference, type InferenceCheckpoint } from './commands/load-model.js';
export { loadOmniglot } from './data/omniglot-source.js';
export { defaultCacheDir, loadOmniglotSplit } from './data/omniglot-split.js';
// Language identification: the UDHR corpus with its fixed split, users' text episodes and queries.
export { loadUdhrCorpus, readQueryLines, readTextEpisodeFolder, udhrSplit } from './data/udhr/index.js';
export type { BackendColumn, BackendFigures, BenchOptions, FamilyBench } from './families/cli-family.js';
export { Conv4MetaStep, randomImages } from './families/omniglot/bench/conv4-step.js';
