import { InvalidArgumentError, type ImageSet } from '@hypermeta/core';

/** What a domain loader may use: where caches go, the image size, and the Omniglot settings. */
export interface DomainContext {
  cacheDir: string;
  /** Side length of the square images (28 for every model hypermeta trains). */
  size: number;
  /** The Omniglot data folder (the omniglot domain needs it). */
  omniglotDir?: string;
  /** Omniglot alphabets held out for evaluation (the last by name). */
  heldOut: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/** A domain's images: what training draws from and what evaluation draws from. */
export interface DomainData {
  /** Training classes (Omniglot: its training alphabets; every other domain: all its classes). */
  train: ImageSet;
  /** Evaluation classes (Omniglot: its held-out alphabets; every other domain: all its classes). */
  test: ImageSet;
  /** Meta-Dataset's variable protocol draws this domain's episodes from one group (alphabet, script). */
  withinGroup: boolean;
}

/** One image domain: a name and how to load it; `folder` and `metadataset` take a path (`name:DIR`). */
export interface DomainLoader {
  name: string;
  /** One line for --help and the docs. */
  summary: string;
  /** Whether the name takes a folder after a colon. */
  takesPath: boolean;
  load(ctx: DomainContext, path?: string): Promise<DomainData>;
}

const loaders = new Map<string, DomainLoader>();

export function registerDomain(loader: DomainLoader): void {
  loaders.set(loader.name, loader);
}

/** Registered domain names, `folder:DIR`-style ones spelled so. */
export function domainNames(): string[] {
  return [...loaders.values()].map((l) => (l.takesPath ? `${l.name}:DIR` : l.name));
}

/** A parsed domain argument: its loader and, for folder domains, the folder. */
export interface DomainSpec {
  /** As the user wrote it (the name results are reported under). */
  label: string;
  loader: DomainLoader;
  path?: string;
}

/** `mnist`, `folder:DIR`, `metadataset:DIR` → the loader; anything else is refused with the list. */
export function parseDomain(text: string): DomainSpec {
  const t = text.trim();
  const colon = t.indexOf(':');
  const name = colon < 0 ? t : t.slice(0, colon);
  const path = colon < 0 ? undefined : t.slice(colon + 1);
  const loader = loaders.get(name);
  if (!loader)
    throw new InvalidArgumentError(`unknown domain "${t}": expected one of ${domainNames().join(', ')}`);
  if (loader.takesPath && !path) throw new InvalidArgumentError(`domain ${name} needs a folder: ${name}:DIR`);
  if (!loader.takesPath && path !== undefined)
    throw new InvalidArgumentError(`domain ${name} takes no folder (got "${t}")`);
  return { label: t, loader, path };
}

/** A comma-separated list of domains, each parsed; repeats are refused. */
export function parseDomainList(text: string): DomainSpec[] {
  const specs = text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(parseDomain);
  if (specs.length === 0) throw new InvalidArgumentError('--domains needs at least one domain name');
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.label)) throw new InvalidArgumentError(`domain ${s.label} is listed twice`);
    seen.add(s.label);
  }
  return specs;
}
