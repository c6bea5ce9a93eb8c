export { type TextBatch, type TextIdsOptions, textBatch, textChars, textIds } from './text-ids.js';
export {
  embeddingWidth,
  initTextEncoder,
  type TextEncoderConfig,
  textEmbed,
  textEncoderShapes,
  validateTextEncoder,
} from './text-encoder.js';
export { embeddingBagMean } from './embedding-bag.js';
export { ngramSketch } from './ngram-sketch.js';
