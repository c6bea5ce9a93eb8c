export { type TextBatch, type TextIdsOptions, textBatch, textChars, textIds } from './text-ids.js';
export {
  initTextEncoder,
  type TextEncoderConfig,
  textEmbed,
  textEncoderShapes,
  validateTextEncoder,
} from './text-encoder.js';
export { embeddingBagMean } from './embedding-bag.js';
