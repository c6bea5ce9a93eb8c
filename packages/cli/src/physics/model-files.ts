import { SHIPPED_MODELS } from './models/index.js';

/**
 * An MJCF model ready to be written into MuJoCo's virtual file system. Node-free, like
 * `mujoco-simulator.ts` and `models/`: the web demo loads the shipped pendulum through them too.
 */
export interface ModelSource {
  /** Environment name: a shipped model's, or the file's name without .xml. */
  name: string;
  /** 'shipped', 'suite' (a dm_control suite file) or 'file'. */
  source: string;
  /** Absolute path of the main file (absent for shipped models). */
  file?: string;
  /** The main file's path relative to the folder written, and every file to write. */
  main: string;
  files: Map<string, Uint8Array>;
}

/** A model hypermeta ships (its MJCF is a module of ours), or undefined for an unknown name. */
export function shippedModel(name: string): ModelSource | undefined {
  const xml = SHIPPED_MODELS[name];
  if (xml === undefined) return undefined;
  return {
    name,
    source: 'shipped',
    main: `${name}.xml`,
    files: new Map([[`${name}.xml`, new TextEncoder().encode(xml)]]),
  };
}

/**
 * `rel` under the virtual file system folder `root`, with `.` and `..` resolved. The engine's file
 * system always separates with '/', whatever the host's paths use, so host path functions (which
 * write '\' on Windows, and are not in browsers) are not used here.
 */
export function virtualPath(root: string, rel: string): string {
  const parts: string[] = [];
  for (const p of `${root}/${rel}`.split(/[/\\]+/)) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** The folder of a virtual file system path ('/' for a file at the top). */
export function virtualDir(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
