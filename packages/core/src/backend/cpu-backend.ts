import '@tensorflow/tfjs-backend-cpu';
import { registerBackendLoader } from './registry.js';

/** The reference backend: plain JavaScript kernels, always available. */
registerBackendLoader({ name: 'cpu', tfName: 'cpu', priority: 1, setUp: async () => {} });
