import { totalmem } from 'node:os';
import { Option } from 'commander';
import { useBackend, tf } from '@hypermeta/core';

export const BACKEND_CHOICES = ['auto', 'wasm', 'node', 'cpu'];

let registering: Promise<unknown> | undefined;

/**
 * Registers the wasm and node backends and silences tfjs's Node banner and debug checks. The
 * backends' packages are imported here, when a command first needs one, not at start-up: they
 * took about 0.15 s of every start, --help and refused flags included.
 */
export async function prepareTf(): Promise<void> {
  registering ??= Promise.all([import('@hypermeta/backend-node'), import('@hypermeta/backend-wasm')]);
  await registering;
  tf.env().set('PROD', true);
}

/** Activates the requested backend and returns its name. */
export async function selectBackend(request: string): Promise<string> {
  await prepareTf();
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
