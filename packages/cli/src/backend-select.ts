import { Option } from 'commander';
import { useBackend, tf } from '@hypermeta/core';
import '@hypermeta/backend-node';
import '@hypermeta/backend-wasm';

export const BACKEND_CHOICES = ['auto', 'wasm', 'node', 'cpu'];

/** Silences tfjs's Node banner and debug checks; the backends are registered by the imports above. */
export function prepareTf(): void {
  tf.env().set('PROD', true);
}

/** Activates the requested backend and returns its name. */
export async function selectBackend(request: string): Promise<string> {
  prepareTf();
  return useBackend(request);
}

/** The --backend flag every computing command takes; wasm is the default. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend').choices(BACKEND_CHOICES).default('wasm');
}
