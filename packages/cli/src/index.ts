export { saveCheckpointDir, listCheckpoints, resolveCheckpointDir, folderReader } from './io/checkpoint-dir.js';
export { readNumericCsv } from './io/csv-points.js';
export { selectBackend } from './backend-select.js';
