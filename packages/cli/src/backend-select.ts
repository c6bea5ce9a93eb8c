import { totalmem } from 'node:os';
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
  return new Option('-b, --backend <name>', 'compute backend').choices(BACKEND_CHOICES).default('wasm');
}

/**
 * Memory a computation may take on a backend: wasm's heap ends at 4 GiB (past it the process
 * aborts), less a margin for the allocator's fragmentation; native and JavaScript backends share
 * the machine's memory, of which half is a safe ceiling.
 */
export function memoryLimit(backend: string): number {
  return backend === 'wasm' ? 3.4 * 2 ** 30 : totalmem() / 2;
}
