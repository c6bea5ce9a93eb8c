// One conformance suite for every backend: each backend package's tests run these cases.
import '../families/index.js';
export { conformanceCases, TOLERANCE, type ConformanceCase } from './cases.js';
export { maxRelError } from './compare.js';
