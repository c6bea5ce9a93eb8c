export { languageFamily, defaultLanguageTrain, eligibleLanguages } from './family.js';
export {
  charLmOptionsOf,
  defaultLanguageConfig,
  LANGUAGE,
  LANGUAGE_GENERATORS,
  LANGUAGE_METHODS,
  type LanguageConfig,
  type LanguageMethod,
  validateLanguageConfig,
} from './language-config.js';
export { LanguageModel, createLanguageMethod } from './language-model.js';
export { LanguageLearner } from './language-learner.js';
export { SetHypernet } from './set-hypernet.js';
export { textEpisodeTensors } from './text-episode-tensors.js';
export {
  baselineAccuracy,
  evaluateLanguage,
  type LanguageEvalOptions,
  type LanguageEvalResult,
  scoreTextEpisodes,
  textEpisodeAccuracy,
} from './evaluate-language.js';
export { syntheticCorpus, syntheticLanguages } from './fixtures.js';
export { drawLanguageEpisode, type LanguageEpisodeOptions } from './draw-episode.js';
