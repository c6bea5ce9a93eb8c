/** Reading Meta-Dataset's converted records (dataset_spec.json + one TFRecord file per class) as an ImageSet. */
export {
  DEFAULT_MAX_IMAGES,
  loadMetaDatasetFolder,
  readMetaDatasetSpec,
  SPEC_FILE,
  type LoadMetaDatasetOptions,
  type MetaDatasetProgress,
} from './load-meta-dataset.js';
export {
  MAX_SPEC_CLASSES,
  parseDatasetSpec,
  SPLITS,
  type MetaDatasetSpec,
  type MetaSplit,
  type SpecClass,
  type SpecKind,
} from './dataset-spec.js';
export { decodeLuminance, decodePixels, pixelModeFor, type PixelMode } from './pixels.js';
export {
  DEFAULT_MAX_RECORD_BYTES,
  frameTfRecord,
  maskCrc,
  maskedCrc32c,
  readTfRecords,
  type ReadTfRecordsOptions,
  type TfRecord,
} from './tfrecord.js';
export { decodeExample, encodeExample, type FeatureValue } from './example-proto.js';
