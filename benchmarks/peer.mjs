// hypermeta against PyTorch, side by side: `npm run -s bench:peer -- [--backend NAME] [--threads N] [--json]`.
//
// Installs torch from pip's index when it is missing (torch==2.13.0+cpu, the tested build), starts
// hypermeta's side (benchmarks/hypermeta-side.mjs) and PyTorch's (benchmarks/pytorch/peer.py) as two
// warm processes, checks that both compute the same losses from the same weights and inputs, then
// measures each figure in pairs: one side, then the other (the order alternating from pair to
// pair), so a slow spell of a shared machine slows both. Reported per figure: the median over the
// pairs of hypermeta's speed divided by PyTorch's (above 1: hypermeta is faster) and its spread.
//
// Flags: --backend auto|node|wasm|cpu (default auto: node where it loads), --threads N (both
// sides' compute threads, default every core; wasm always runs on one), --pairs N (default 5),
// --only conv4Step,adaptOne,… (figures to measure), --tiny (small sizes, one pair: for tests),
// --no-install (never run pip), --json (one JSON object on stdout; progress goes to stderr).
// OMP_WAIT_POLICY in the environment reaches PyTorch (see below); PYTHON or --python picks the interpreter.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const TORCH = 'torch==2.13.0+cpu';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  if (i + 1 >= args.length) fail(`${name} needs a value`);
  return args[i + 1];
};
function fail(message) {
  process.stderr.write(`bench:peer: ${message}\n`);
  process.exit(2);
}

const known = ['--backend', '--threads', '--pairs', '--only', '--tiny', '--no-install', '--json', '--python'];
for (const a of args)
  if (a.startsWith('--') && !known.includes(a)) fail(`unknown flag ${a} (flags: ${known.join(' ')})`);
const tiny = flag('--tiny');
const json = flag('--json');
const threads = Number(value('--threads', String(availableParallelism())));
const pairs = Number(value('--pairs', tiny ? '1' : '5'));
const backendRequest = value('--backend', 'auto');
const python = value('--python', process.env.PYTHON ?? 'python3');
if (!Number.isInteger(threads) || threads < 1) fail('--threads must be a whole number ≥ 1');
if (!Number.isInteger(pairs) || pairs < 1) fail('--pairs must be a whole number ≥ 1');
// PyTorch's OpenMP threads wait actively by default (libgomp spins before it sleeps): on a machine
// where something else runs, a multi-threaded PyTorch then loses whole scheduler slices at its
// barriers (measured here on 2 busy cores: a tiny bmm 75 µs → 8 ms). OMP_WAIT_POLICY=PASSIVE keeps
// it steady there, at a cost on a quiet machine (2 threads: sinusoid T = 64 8,000 instead of 21,000
// tasks/s). The runner leaves PyTorch's default unless OMP_WAIT_POLICY is set, and says when the
// machine looks busy.
const waitPolicy = process.env.OMP_WAIT_POLICY || 'default';
const log = (line) => process.stderr.write(`${line}\n`);

/** The figures, each one request that both sides answer with `ms` (lower is faster). */
const conv4 = tiny ? { ways: 5, queries: 1, filters: 8 } : { ways: 20, queries: 5, filters: 64 };
const FIGURES = {
  conv4Step: {
    what: `Omniglot meta-step: conv4 (${conv4.filters} filters) + hypernet head, ${conv4.ways}-way episode of ${conv4.ways * (1 + conv4.queries)} images, forward + backward + clip + Adam`,
    req: { cmd: 'conv4Step', ...conv4, reps: tiny ? 1 : 3 },
    show: (r) => `${r.ms.toFixed(1)} ms/step`,
  },
  sinusoidT16: {
    what: 'sinusoid meta-training, T = 16 tasks per step (3–12 shots, 20 queries), default model',
    req: { cmd: 'sinusoid', T: 16, minMs: tiny ? 30 : 1000, warmup: tiny ? 3 : 50 },
    show: (r) => `${Math.round(r.tasksPerS)} tasks/s`,
  },
  sinusoidT64: {
    what: 'sinusoid meta-training, T = 64',
    req: { cmd: 'sinusoid', T: 64, minMs: tiny ? 30 : 1000, warmup: tiny ? 3 : 50 },
    show: (r) => `${Math.round(r.tasksPerS)} tasks/s`,
  },
  adaptOne: {
    what: 'one 5-shot sinusoid task adapted, 10 points predicted and read back (median)',
    req: { cmd: 'adaptOne', shots: 5, reps: tiny ? 5 : 51, warmup: tiny ? 20 : 500 },
    show: (r) => `${r.ms.toFixed(3)} ms`,
  },
  adapt1000: {
    what: `${tiny ? 100 : 1000} 5-shot tasks adapted in one batch, θ read back (median)`,
    req: { cmd: 'adaptBatch', tasks: tiny ? 100 : 1000, shots: 5, reps: tiny ? 1 : 5 },
    show: (r) => `${r.usPerTask.toFixed(1)} µs/task`,
  },
};
const only = value('--only', Object.keys(FIGURES).join(',')).split(',').filter(Boolean);
for (const f of only)
  if (!FIGURES[f]) fail(`unknown figure ${f} (figures: ${Object.keys(FIGURES).join(', ')})`);

/** Relative differences allowed between the two sides' numbers (float32 on both). */
const TOLERANCE = { loss0: 1e-4, prediction: 1e-4, norm0: 1e-3, loss1: 1e-3 };

function torchImportable() {
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function ensureTorch() {
  if (torchImportable()) return;
  if (flag('--no-install')) fail(`PyTorch is not importable by ${python} (and --no-install was given)`);
  log(`bench:peer: installing ${TORCH} with pip (a one-off, about a minute)…`);
  const r = spawnSync(python, ['-m', 'pip', 'install', '--quiet', TORCH], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !torchImportable())
    fail(`could not install ${TORCH} with \`${python} -m pip install ${TORCH}\``);
}

/** A warm worker process speaking one JSON object per line each way. */
class Side {
  constructor(name, cmd, argv, env) {
    this.name = name;
    this.child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.stderr = '';
    this.child.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async next() {
    const line = await Promise.race([this.lines.next(), this.exited.then((code) => ({ done: true, code }))]);
    if (line.done)
      throw new Error(`the ${this.name} side stopped (exit ${line.code}):\n${this.stderr.trim()}`);
    return JSON.parse(line.value);
  }

  async ready() {
    const r = await this.next();
    if (!r.ready) throw new Error(`the ${this.name} side did not start: ${JSON.stringify(r)}`);
    return r;
  }

  async ask(req) {
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    const r = await this.next();
    if (!r.ok) throw new Error(`the ${this.name} side failed on ${req.cmd}: ${r.error}`);
    return r;
  }

  close() {
    this.child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  ensureTorch();
  const dir = mkdtempSync(join(tmpdir(), 'hypermeta-peer-'));
  const load0 = loadavg();
  if (threads > 1 && waitPolicy === 'default' && load0[0] >= availableParallelism() / 2) {
    log(
      `bench:peer: the machine is busy (load average ${load0[0].toFixed(2)}): PyTorch's ${threads} threads wait actively by default and can slow down many-fold here; OMP_WAIT_POLICY=PASSIVE steadies them`,
    );
  }
  const ours = new Side(
    'hypermeta',
    process.execPath,
    [join(HERE, 'hypermeta-side.mjs'), '--backend', backendRequest],
    {
      HYPERMETA_NODE_THREADS: String(threads),
    },
  );
  let theirs;
  try {
    const hello = await ours.ready();
    const backend = hello.backend;
    const ourThreads = backend === 'tensorflow' || backend === 'node' ? threads : 1;
    const exported = await ours.ask({ cmd: 'export', dir, conv4, sinusoid: { T: 8, shots: 5, queries: 20 } });
    const torchEnv = { OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    theirs = new Side(
      'PyTorch',
      python,
      [join(HERE, 'pytorch', 'peer.py'), '--threads', String(threads), '--weights', dir],
      torchEnv,
    );
    const torchHello = await theirs.ready();
    const check = await theirs.ask({ cmd: 'check' });
    const failed = Object.entries(check.relErrors).filter(([k, e]) => !(e <= TOLERANCE[k.split('.')[1]]));
    const agreement = {
      ok: failed.length === 0,
      relErrors: check.relErrors,
      tolerance: TOLERANCE,
      hypermeta: { conv4: pick(exported.conv4), sinusoid: pick(exported.sinusoid) },
      pytorch: { conv4: pick(check.conv4), sinusoid: pick(check.sinusoid) },
    };
    log(
      `bench:peer: ${agreement.ok ? 'same losses' : 'DIFFERENT losses'} from the same weights: ${Object.entries(
        check.relErrors,
      )
        .map(([k, e]) => `${k} ${e.toExponential(1)}`)
        .join(', ')}`,
    );
    const figures = {};
    for (const name of only) {
      const f = FIGURES[name];
      const rows = [];
      for (let p = 0; p < pairs; p++) {
        // Alternate who goes first, so a drift of the machine's speed favours neither side.
        const order = p % 2 ? [theirs, ours] : [ours, theirs];
        const got = {};
        for (const side of order) got[side.name] = await side.ask(f.req);
        const h = got.hypermeta;
        const t = got.PyTorch;
        rows.push({ hypermeta: h, pytorch: t, ratio: t.ms / h.ms });
        log(
          `bench:peer: ${name} pair ${p + 1}/${pairs}: hypermeta ${f.show(h)}, PyTorch ${f.show(t)}, ratio ${(t.ms / h.ms).toFixed(2)}`,
        );
      }
      const ratios = rows.map((r) => r.ratio);
      const mid = (side, key) => median(rows.map((r) => r[side][key]));
      const summary = (side) => ({
        ms: mid(side, 'ms'),
        ...(rows[0][side].tasksPerS !== undefined ? { tasksPerS: mid(side, 'tasksPerS') } : {}),
        ...(rows[0][side].usPerTask !== undefined ? { usPerTask: mid(side, 'usPerTask') } : {}),
      });
      figures[name] = {
        what: f.what,
        unit: rows[0].hypermeta.unit,
        ratio: median(ratios),
        spread: [Math.min(...ratios), Math.max(...ratios)],
        hypermeta: summary('hypermeta'),
        pytorch: summary('pytorch'),
        ratios,
      };
    }
    const result = {
      backend,
      threads,
      hypermetaThreads: ourThreads,
      torch: torchHello.torch,
      torchThreads: torchHello.threads,
      torchWaitPolicy: waitPolicy,
      pairs,
      tiny,
      loadAverage: { start: load0.map((x) => +x.toFixed(2)), end: loadavg().map((x) => +x.toFixed(2)) },
      agreement,
      ratios: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.ratio])),
      spread: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.spread])),
      figures,
    };
    if (json) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
    else print(result);
    if (!agreement.ok) {
      log(
        `bench:peer: the two sides disagree beyond tolerance: ${failed.map(([k, e]) => `${k} ${e.toExponential(2)}`).join(', ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    ours.close();
    theirs?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function pick(o) {
  return { loss0: o.loss0, norm0: o.norm0, loss1: o.loss1 };
}

function print(r) {
  const head = `hypermeta (${r.backend === 'tensorflow' ? 'node' : r.backend}, ${r.hypermetaThreads} thread${r.hypermetaThreads > 1 ? 's' : ''}) vs PyTorch ${r.torch} (${r.torchThreads} thread${r.torchThreads > 1 ? 's' : ''}, OpenMP wait policy ${r.torchWaitPolicy}), ${r.pairs} pair${r.pairs > 1 ? 's' : ''}, load average ${r.loadAverage.start[0]} → ${r.loadAverage.end[0]}`;
  const lines = [
    head,
    '',
    '| figure | hypermeta | PyTorch | speed ratio (median) | spread |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, f] of Object.entries(r.figures)) {
    const show = FIGURES[name].show;
    lines.push(
      `| ${name}: ${f.what} | ${show(f.hypermeta)} | ${show(f.pytorch)} | ${f.ratio.toFixed(2)}× | ${f.spread[0].toFixed(2)}–${f.spread[1].toFixed(2)} |`,
    );
  }
  lines.push(
    '',
    `ratio = hypermeta's speed / PyTorch's (above 1: hypermeta is faster); agreement: ${r.agreement.ok ? 'same losses' : 'DIFFERENT'} (${Object.entries(
      r.agreement.relErrors,
    )
      .map(([k, e]) => `${k} ${e.toExponential(1)}`)
      .join(', ')})`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench:peer: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
