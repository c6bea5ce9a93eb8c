// For backend authors (`@hypermeta/core/backend`): how a backend package registers itself and
// the names of the optional kernels it may provide. Users never need these.
export { type BackendLoader, registerBackendLoader } from './backend/registry.js';
export { FusedAdam } from './train/adam.js';
export { FusedDense } from './nn/fused-dense.js';
