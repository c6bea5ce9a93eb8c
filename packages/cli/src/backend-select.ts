import { Option } from 'commander';
import { useBackend, tf } from '@hypermeta/core';
import '@hypermeta/backend-node';
import '@hypermeta/backend-wasm';

export const BACKEND_CHOICES = ['auto', 'wasm', 'node', 'cpu'];

/** Activates the requested backend (registered by the imports above) and returns its name. */
export async function selectBackend(request: string): Promise<string> {
  tf.env().set('PROD', true);
  return useBackend(request);
}

/** The --backend flag every computing command takes; wasm is the default. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend').choices(BACKEND_CHOICES).default('wasm');
}
