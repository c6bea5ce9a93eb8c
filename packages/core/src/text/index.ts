export type { TextClass, TextCorpus, TextEpisode, TextEpisodeOptions } from './text-types.js';
export { normaliseText } from './normalise.js';
export { graphemes, snippet } from './snippet.js';
export { dominantScript } from './script.js';
export { type UsableArticle, usableArticles, supportSideArticles } from './class-articles.js';
export { sampleTextEpisode, validateTextEpisodeOptions } from './episodes.js';
export { buildNeighbours, type Neighbours, NEIGHBOUR_PROFILE_SIZE } from './neighbours.js';
export { addNgrams, cosine, meanProfile, ngramProfile, type Profile } from './ngram-profile.js';
export { trigramBaseline } from './trigram-baseline.js';
export {
  charLmBaseline,
  charLmPredictions,
  CHAR_LM_FLOORS,
  type CharLmFloor,
  CharLms,
  charLmScores,
  type CharLmOptions,
  type CharLmPrior,
  supportByClass,
} from './char-lm.js';
export { type BankKeys, bankKeys, BankReader, prepareHashes } from './bank-reader.js';
export { type BankLanguage, LanguageBank, type LanguageBankParts } from './language-bank.js';
export { LANGUAGE_BANK_FORMAT, languageBankFromBytes, languageBankToBytes } from './bank-file.js';
