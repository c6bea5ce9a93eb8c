import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A CommonJS package loaded at its first use instead of at start-up. Every `hypermeta` command
 * loads every module the program's commands import; the parsers, decoders and progress bar only
 * some commands use took about 0.2 s of each start (`hypermeta --help` included).
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
