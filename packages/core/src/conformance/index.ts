// One conformance suite for every backend: each backend package's tests run these cases.
export { conformanceCases, TOLERANCE, type ConformanceCase } from './cases.js';
export { maxRelError } from './compare.js';
