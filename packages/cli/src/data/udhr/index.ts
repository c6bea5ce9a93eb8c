export { type Declaration, parseDeclaration } from './declaration-html.js';
export { MIN_ARTICLES, codePointCompare, udhrSplit } from './udhr-split.js';
export {
  loadUdhrCorpus,
  mergeDeclarations,
  type UdhrCorpusOptions,
  type UdhrInfo,
  udhrDeclarationDir,
  UDHR_READER_VERSION,
  udhrVersion,
} from './udhr-corpus.js';
export { readQueryLines, readTextEpisodeFolder } from './text-folder.js';
