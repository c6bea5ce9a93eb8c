import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors/errors.js';

/**
 * A backend package registers one of these on import. `setUp` loads and initialises the tfjs
 * backend and throws an Error whose message says why it cannot (that text reaches the user).
 */
export interface BackendLoader {
  /** The name users pass (`--backend wasm`). */
  name: string;
  /** The name tfjs knows it by (tfjs-node calls itself 'tensorflow'). */
  tfName: string;
  /** Higher is tried first by "auto". */
  priority: number;
  setUp(): Promise<void>;
}

export interface BackendStatus {
  name: string;
  available: boolean;
  reason?: string;
}

const loaders = new Map<string, BackendLoader>();
/** Each loader's set-up runs at most once; failures are remembered with their reason. */
const outcomes = new Map<string, Promise<string | undefined>>();

export function registerBackendLoader(loader: BackendLoader): void {
  loaders.set(loader.name, loader);
  outcomes.delete(loader.name);
}

export function backendNames(): string[] {
  return [...loaders.values()].sort((a, b) => b.priority - a.priority).map((l) => l.name);
}

/** Sets the backend up if needed; resolves to undefined when usable, else to the reason. */
function setUpOnce(name: string): Promise<string | undefined> {
  const loader = loaders.get(name);
  if (!loader) return Promise.resolve(`unknown backend (known: ${backendNames().join(', ')})`);
  let outcome = outcomes.get(name);
  if (!outcome) {
    outcome = loader.setUp().then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0],
    );
    outcomes.set(name, outcome);
  }
  return outcome;
}

/** Whether each registered backend can be set up here, and why not. Leaves the active backend as it was. */
export async function probeBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of backendNames()) {
    const reason = await setUpOnce(name);
    out.push(reason === undefined ? { name, available: true } : { name, available: false, reason });
  }
  return out;
}

/**
 * Activates the first backend of the request that works: "auto" means every registered backend
 * by priority (node, wasm, cpu). Throws BackendUnavailableError listing each one tried and why.
 */
export async function useBackend(request: string | readonly string[] = 'auto'): Promise<string> {
  const names = request === 'auto' ? backendNames() : typeof request === 'string' ? [request] : [...request];
  const failures: { name: string; reason: string }[] = [];
  for (const name of names) {
    let reason = await setUpOnce(name);
    if (reason === undefined) {
      const loader = loaders.get(name)!;
      const ok = await tf.setBackend(loader.tfName).catch(() => false);
      if (ok) {
        await tf.ready();
        return name;
      }
      reason = `tfjs could not initialise the '${loader.tfName}' backend`;
    }
    failures.push({ name, reason });
  }
  const list = failures.map((f) => `[${f.name}] ${f.reason}`).join('; ');
  throw new BackendUnavailableError(`no backend could be used: ${list}`, failures);
}
