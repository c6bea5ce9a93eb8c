#!/usr/bin/env node
// Builds @tensorflow/tfjs-node's native addon without its install script, which downloads
// libtensorflow and a prebuilt addon from storage.googleapis.com (blocked behind many firewalls).
//
// Where tfjs-node is installed but its addon is missing or does not load, this script
//   1. gets libtensorflow from a TensorFlow CPU wheel through pip (any index pip is configured
//      for, or a local wheel named by HYPERMETA_TF_WHEEL),
//   2. puts its two shared libraries and the C API headers into tfjs-node's deps/ folder, under
//      the names tfjs-node's build links against,
//   3. builds the addon with tfjs-node's own node-pre-gyp against this Node's local headers.
// The stripped libraries and the built addon are cached (HYPERMETA_CACHE_DIR, else
// $XDG_CACHE_HOME/hypermeta or ~/.cache/hypermeta, else <repo>/.cache/hypermeta), so a repeat
// `npm ci` (which wipes node_modules) only links them back: well under a second.
//
// Tested with tfjs-node 4.22.0 and tensorflow-cpu 2.21.0 (cp311, manylinux_2_27 x86_64), the
// only wheel this project's CI can reach. tfjs-node calls only TensorFlow's stable C API, so a
// later 2.x wheel is tried next; TF >= 2.17 has tensorflow/tensorflow#74789 (tf.round on int32
// gives zeros), which backend-node's tests document.
//
// Run by the root package.json's `postinstall` (never fails the install: where no wheel, Python
// or compiler can be had it prints one line saying why the node backend stays unavailable and
// exits 0) and by `npm run setup:node` (--strict: exits 1 on failure; --force: rebuild even
// where the addon loads; --verbose: show pip's and the compiler's output).
// Environment: HYPERMETA_SKIP_NODE_SETUP=1 skips it; HYPERMETA_TF_WHEEL=<pip requirement or
// path to a .whl> picks the wheel; HYPERMETA_CACHE_DIR moves the cache.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  accessSync,
  constants,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Wheels tried in order; only the first was tested (see above). */
const WHEELS = ['tensorflow-cpu==2.21.0', 'tensorflow-cpu>=2.17,<3', 'tensorflow>=2.17,<3'];
/** tfjs-node's install script skips its download where this file exists (LIBTENSORFLOW_VERSION 2.9.1). */
const UPSTREAM_MARKER = 'libtensorflow.so.2.9.1';
/** The headers tfjs-node's binding includes, and the ones they include (paths under the wheel's tensorflow/include/). */
const HEADER_PREFIXES = [
  'tensorflow/c/',
  'tensorflow/core/platform/ctstring',
  'tsl/platform/ctstring',
  'xla/tsl/c/',
];

const args = new Set(process.argv.slice(2));
const strict = args.has('--strict');
const force = args.has('--force');
const verbose = args.has('--verbose');
const started = Date.now();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The one line a failed set-up prints; the install goes on. */
function unavailable(why) {
  console.log(`hypermeta: the node backend (tfjs-node) stays unavailable: ${why}`);
  process.exit(strict ? 1 : 0);
}

function say(line) {
  console.log(`hypermeta: ${line}`);
}

/** Runs a command; returns its status and output (shown live with --verbose). */
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: opts.timeoutMs ?? 15 * 60_000,
    stdio: verbose ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { ok: r.status === 0, out, error: r.error };
}

/** The most telling line of a tool's output, for the one-line reason: a compiler's or pip's first error, else node-gyp's. */
function lastLine(out, fallback) {
  const lines = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(WARNING|gyp info|npm notice)/.test(l));
  const pick =
    lines.find((l) => /\berror:/i.test(l) && !/ERR!/.test(l)) ??
    lines.find((l) => /^gyp ERR! stack Error:/.test(l))?.replace(/^gyp ERR! stack /, '') ??
    lines.filter((l) => /error/i.test(l)).at(-1) ??
    lines.at(-1) ??
    fallback;
  return pick.slice(0, 300);
}

function onPath(cmd) {
  for (const d of (process.env.PATH ?? '').split(':')) {
    try {
      accessSync(join(d || '.', cmd), constants.X_OK);
      return join(d || '.', cmd);
    } catch {
      /* next */
    }
  }
  return null;
}

/** Whether the addon loads, tried in a child process (a failed dlopen cannot be undone). */
function addonLoads(addon) {
  if (!existsSync(addon)) return { ok: false, why: `no addon at ${addon}` };
  const r = run(process.execPath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', addon], {
    timeoutMs: 60_000,
    stdio: 'pipe',
  });
  return { ok: r.ok, why: lastLine(r.out, 'the addon does not load') };
}

function cacheRoot() {
  const candidates = [
    process.env.HYPERMETA_CACHE_DIR,
    process.env.XDG_CACHE_HOME && join(process.env.XDG_CACHE_HOME, 'hypermeta'),
    join(homedir(), '.cache', 'hypermeta'),
    join(root, '.cache', 'hypermeta'),
  ].filter(Boolean);
  for (const c of candidates) {
    try {
      mkdirSync(join(c, 'tfjs-node'), { recursive: true });
      accessSync(join(c, 'tfjs-node'), constants.W_OK);
      return join(c, 'tfjs-node');
    } catch {
      /* next */
    }
  }
  unavailable('no writable cache folder (set HYPERMETA_CACHE_DIR)');
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Hard link where the file system allows it (instant, no extra disk), else copy. */
function linkOrCopy(from, to) {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function findPython() {
  for (const py of ['python3', 'python']) {
    if (!onPath(py)) continue;
    if (run(py, ['-m', 'pip', '--version'], { timeoutMs: 60_000, stdio: 'pipe' }).ok) return py;
  }
  return null;
}

/**
 * Downloads a TensorFlow wheel with pip, extracts the two libraries and the C headers into the
 * cache (stripped of debug symbols where `strip` exists) and returns the cache entry's metadata.
 */
function fetchLibtensorflow(cache, python) {
  const work = join(cache, `tmp-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    let wheel = null;
    let spec = null;
    const requested = process.env.HYPERMETA_TF_WHEEL;
    if (requested && existsSync(requested)) {
      wheel = resolve(requested);
      spec = requested;
    } else {
      const reasons = [];
      const specs = requested ? [requested] : WHEELS;
      say(
        `getting libtensorflow from a TensorFlow CPU wheel with pip (${specs[0]} first; once, cached in ${cache})`,
      );
      for (const s of specs) {
        const r = run(python, [
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--only-binary=:all:',
          '--progress-bar',
          'off',
          '-d',
          work,
          s,
        ]);
        const found = readdirSync(work).find((f) => f.endsWith('.whl'));
        if (r.ok && found) {
          wheel = join(work, found);
          spec = s;
          break;
        }
        reasons.push(`${s}: ${lastLine(r.out, r.error?.message ?? 'pip failed')}`);
      }
      if (!wheel) unavailable(`pip could not get a TensorFlow wheel (${reasons.at(-1)})`);
    }
    const version = /-(\d+\.\d+\.\d+[^-]*)-/.exec(wheel.split('/').at(-1))?.[1] ?? 'unknown';
    // Extract only what the addon needs: the two libraries and the C API headers.
    const extract = `
import sys, zipfile
wheel, out, prefixes = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
libs = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2']
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    missing = [n for n in libs if n not in names]
    if missing:
        sys.exit('the wheel has no ' + ', '.join(missing))
    for n in sorted(names):
        rel = n[len('tensorflow/include/'):] if n.startswith('tensorflow/include/') else None
        if n in libs or (rel and not n.endswith('/') and any(rel.startswith(p) for p in prefixes)):
            z.extract(n, out)
`;
    const ex = run(python, ['-c', extract, wheel, join(work, 'x'), HEADER_PREFIXES.join(',')]);
    if (!ex.ok)
      unavailable(
        `could not extract libtensorflow from ${wheel.split('/').at(-1)} (${lastLine(ex.out, 'extraction failed')})`,
      );
    const entry = join(work, 'entry');
    mkdirSync(join(entry, 'lib'), { recursive: true });
    renameSync(join(work, 'x', 'tensorflow', 'include'), join(entry, 'include'));
    let stripped = false;
    for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
      const to = join(entry, 'lib', lib);
      renameSync(join(work, 'x', 'tensorflow', lib), to);
      // Debug symbols only: the dynamic symbol table (the C API) stays. ~850 → ~630 MB.
      if (onPath('strip')) stripped = run('strip', ['--strip-unneeded', to]).ok || stripped;
    }
    const meta = { version, source: spec, wheel: wheel.split('/').at(-1), stripped };
    writeFileSync(join(entry, 'libtensorflow.json'), `${JSON.stringify(meta, null, 2)}\n`);
    const dest = join(cache, 'libtensorflow');
    rmSync(dest, { recursive: true, force: true });
    renameSync(entry, dest); // complete entries only: a killed run leaves just tmp-<pid>
    return meta;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Puts the cached libraries and headers into tfjs-node's deps/ under the names its build and install script look for. */
function stageDeps(tfjsNode, libCache) {
  const deps = join(tfjsNode, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  cpSync(join(libCache, 'include'), join(deps, 'include'), { recursive: true });
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'])
    linkOrCopy(join(libCache, 'lib', lib), join(deps, 'lib', lib));
  // -ltensorflow and -ltensorflow_framework at link time; the addon then records the libraries'
  // own sonames (libtensorflow_cc.so.2, libtensorflow_framework.so.2), found through its rpath
  // $ORIGIN/../../deps/lib. UPSTREAM_MARKER stops tfjs-node's install.js from downloading.
  const aliases = {
    'libtensorflow.so': 'libtensorflow_cc.so.2',
    [UPSTREAM_MARKER]: 'libtensorflow_cc.so.2',
    'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  };
  for (const [name, target] of Object.entries(aliases)) symlinkSync(target, join(deps, 'lib', name));
}

function main() {
  if (process.env.HYPERMETA_SKIP_NODE_SETUP === '1') return;
  const require = createRequire(join(root, 'package.json'));
  let pkgFile;
  try {
    pkgFile = require.resolve('@tensorflow/tfjs-node/package.json');
  } catch {
    const npm = /\bnpm\/(\d+)\.\S*/.exec(process.env.npm_config_user_agent ?? '');
    if (npm && Number(npm[1]) < 11) {
      unavailable(
        `npm ${npm[0].slice(4)} dropped @tensorflow/tfjs-node: it ignores allowScripts in package.json, so it ran tfjs-node's own install script, which needs storage.googleapis.com (use npm >= 11)`,
      );
    }
    unavailable(
      '@tensorflow/tfjs-node is not installed (an optional dependency of @hypermeta/backend-node; run `npm install`)',
    );
  }
  const tfjsNode = dirname(pkgFile);
  const pkg = readJson(pkgFile);
  // The addon path tfjs-node loads: node-pre-gyp's best N-API version for this Node.
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  const addon = join(
    tfjsNode,
    pkg.binary.module_path.replace('{napi_build_version}', String(napi)),
    `${pkg.binary.module_name}.node`,
  );

  // Already there (built earlier, or installed the usual way by tfjs-node's own script): nothing to do.
  const before = addonLoads(addon);
  if (before.ok && !force) {
    if (strict) say(`tfjs-node's native addon loads (${addon})`);
    return;
  }
  if (process.platform !== 'linux')
    unavailable(
      `building tfjs-node's addon from a TensorFlow wheel is set up for Linux only (this is ${process.platform})`,
    );

  const cache = cacheRoot();
  const libCache = join(cache, 'libtensorflow');
  let meta = readJson(join(libCache, 'libtensorflow.json'));
  const addonKey = () =>
    `addon-tfjs-node-${pkg.version}-tf-${meta.version}-napi-v${napi}-${process.platform}-${process.arch}`;

  // A repeat install: libraries and addon cached, so link them back and check that it loads.
  if (meta && !force && existsSync(join(cache, addonKey(), 'tfjs_binding.node'))) {
    stageDeps(tfjsNode, libCache);
    mkdirSync(dirname(addon), { recursive: true });
    copyFileSync(join(cache, addonKey(), 'tfjs_binding.node'), addon);
    const r = addonLoads(addon);
    if (r.ok) {
      say(
        `tfjs-node's native addon restored from the cache (libtensorflow ${meta.version}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      return;
    }
    rmSync(join(cache, addonKey()), { recursive: true, force: true }); // stale: rebuild below
  }

  // A build needs Python (node-gyp, pip), a C++ compiler, make and this Node's headers.
  const python = findPython();
  if (!python)
    unavailable(
      'no python3 with pip here, needed to get libtensorflow from a TensorFlow wheel and to run node-gyp (e.g. apt-get install python3-pip)',
    );
  const cxx = process.env.CXX ?? ['g++', 'c++', 'clang++'].find(onPath);
  if (!cxx || !onPath('make'))
    unavailable('no C++ compiler or make to build the addon (e.g. apt-get install g++ make)');
  const env = { ...process.env, JOBS: process.env.JOBS ?? 'max' };
  if (!env.npm_config_nodedir) {
    // The Node install's own headers (include/node/node_api.h): node-gyp then downloads none.
    const prefix = resolve(dirname(process.execPath), '..');
    if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  }

  if (!meta || (force && process.env.HYPERMETA_TF_WHEEL)) meta = fetchLibtensorflow(cache, python);
  stageDeps(tfjsNode, libCache);

  say(`building tfjs-node's native addon against libtensorflow ${meta.version} (${cxx})`);
  const t0 = Date.now();
  const preGyp = createRequire(pkgFile).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const b = run(
    process.execPath,
    [preGyp, 'rebuild', '--build-from-source', '--build-latest-napi-version-only'],
    { cwd: tfjsNode, env },
  );
  const buildS = (Date.now() - t0) / 1000;
  if (!b.ok)
    unavailable(`building the addon failed (${lastLine(b.out, b.error?.message ?? 'node-pre-gyp failed')})`);
  const after = addonLoads(addon);
  if (!after.ok) unavailable(`the built addon does not load (${after.why})`);
  const entry = join(cache, addonKey());
  mkdirSync(entry, { recursive: true });
  copyFileSync(addon, join(entry, 'tfjs_binding.node'));
  rmSync(join(tfjsNode, 'build'), { recursive: true, force: true });
  say(
    `tfjs-node's native addon built against libtensorflow ${meta.version} from ${meta.wheel} (addon ${buildS.toFixed(1)} s, all ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

try {
  main();
} catch (e) {
  unavailable(`set-up failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
}
