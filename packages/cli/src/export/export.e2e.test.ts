import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli as cliIn, type CliResult } from '../reliability/harness.js';
import { decodeImage } from '../data/image-decode.js';
import { runOfficialRuntimes } from './official-runtimes.js';

// `adapt --export` through the built binary: the exported files, run by tfjs-layers and
// onnxruntime-node, must predict what adapt wrote for the same queries, within TOLERANCE
// (sinusoid: y relative to max(1, |y|); omniglot: the same label, its probability within 1e-4).
const TOLERANCE = 1e-4;
const ROOT = resolve(dirname(BIN), '../../..');
const DATA = process.env.HYPERMETA_OMNIGLOT_DIR ?? resolve(ROOT, '../shared/data/omniglot');
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-export-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]): CliResult => cliIn(tmp, ...args);

const csvRows = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('adapt --export, sinusoid', () => {
  const run = join(tmp, 'sine-run');
  const support = join(tmp, 'support.csv');
  const query = join(tmp, 'query.csv');
  const exp = join(tmp, 'sine-export');

  it('writes a tiny MLP that tfjs-layers and onnxruntime run to adapt’s predictions', () => {
    expect(cli('train', '--steps', '5', '--meta-batch', '4', '--out', run).code).toBe(0);
    writeFileSync(support, 'x,y\n-3,0.5\n-1,1.9\n0,1.2\n2,-1.4\n4,-0.3\n');
    writeFileSync(query, `x\n${Array.from({ length: 21 }, (_, i) => -5 + i / 2).join('\n')}\n`);
    const out = join(tmp, 'sine-pred.csv');
    const r = cli('adapt', '-c', run, '--support', support, '--query', query, '-o', out, '--export', exp);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/exported to .*model\.json .* kB.*model\.onnx .*kB; 1,761 parameters; per query/);
    expect(readdirSync(exp).sort()).toEqual(['model.json', 'model.onnx', 'model.weights.bin']);
    const rows = csvRows(out).map((row) => row.map(Number));
    const x = Float32Array.from(rows.map((row) => row[0]));
    const got = runOfficialRuntimes(exp, x, [x.length, 1]);
    const scale = Math.max(1, ...rows.map((row) => Math.abs(row[1])));
    for (const y of [got.tfjs, got.onnx])
      rows.forEach((row, i) => expect(Math.abs(y[i] - row[1]) / scale).toBeLessThan(TOLERANCE));
  });

  it('refuses a non-empty export folder without --force (one line, exit 2, nothing changed), replaces it with --force', () => {
    const before = readFileSync(join(exp, 'model.onnx'));
    writeFileSync(join(tmp, 'other.csv'), 'x,y\n-2,-1\n1,1\n3,0.2\n');
    const args = ['adapt', '-c', run, '--support', join(tmp, 'other.csv'), '-o', join(tmp, 'p2.csv')];
    const r = cli(...args, '--export', exp);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      `hypermeta: --export ${exp} already exists and is not empty: pass --force to replace it, or name another folder`,
    ]);
    expect(existsSync(join(tmp, 'p2.csv'))).toBe(false); // refused before adapting
    expect(readFileSync(join(exp, 'model.onnx')).equals(before)).toBe(true);
    const f = cli(...args, '--export', exp, '--force');
    expect(f.code, f.err).toBe(0);
    expect(readFileSync(join(exp, 'model.onnx')).equals(before)).toBe(false);
    expect(readdirSync(tmp).filter((n) => /\.(tmp|old)-\d+$/.test(n))).toEqual([]);
    const file = cli(...args, '--export', support);
    expect(file.code).toBe(2);
    expect(file.err).toMatch(/a file is in the way/);
  });
});

/** support/<char>/ (one image each) and query/ (two more of each) from five Tagalog characters. */
function episodeFolders(): { support: string; query: string; truth: Map<string, string> } {
  const zip = unzipSync(readFileSync(join(DATA, 'images_background_small2.zip')), {
    filter: (f) => f.name.includes('/Tagalog/') && f.name.endsWith('.png'),
  });
  const byChar = new Map<string, [string, Uint8Array][]>();
  for (const [name, bytes] of Object.entries(zip)) {
    const ch = name.split('/').slice(-2, -1)[0];
    byChar.set(ch, [...(byChar.get(ch) ?? []), [name.split('/').pop()!, bytes]]);
  }
  const root = join(tmp, 'episode');
  const truth = new Map<string, string>();
  for (const ch of [...byChar.keys()].sort().slice(0, 5)) {
    const files = byChar.get(ch)!.sort(([a], [b]) => a.localeCompare(b));
    mkdirSync(join(root, 'support', ch), { recursive: true });
    mkdirSync(join(root, 'query'), { recursive: true });
    writeFileSync(join(root, 'support', ch, files[0][0]), files[0][1]);
    for (const [f, b] of files.slice(1, 3)) {
      writeFileSync(join(root, 'query', f), b);
      truth.set(f, ch);
    }
  }
  return { support: join(root, 'support'), query: join(root, 'query'), truth };
}

const softmax = (z: Float32Array) => {
  const m = Math.max(...z);
  const e = Array.from(z, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe.skipIf(!existsSync(DATA))('adapt --export, omniglot', () => {
  const cache = join(tmp, 'cache');
  const methods: [string, string[]][] = [
    ['hypernet', ['--method', 'hypernet']],
    ['hypernet-modulation', ['--method', 'hypernet', '--modulation']],
    ['protonet', ['--method', 'protonet']],
    ['maml', ['--method', 'maml', '--inner-steps', '1']],
    ['finetune', ['--method', 'finetune']],
  ];
  let folders: ReturnType<typeof episodeFolders>;

  for (const [name, flags] of methods) {
    it(`${name}: the exported classifier labels the queries as adapt does`, () => {
      folders ??= episodeFolders();
      const run = join(tmp, `run-${name}`);
      const t = cli(
        'train',
        '--task',
        'omniglot',
        ...flags,
        '--data-dir',
        DATA,
        '--cache-dir',
        cache,
        '--steps',
        '2',
        '--filters',
        '8',
        '--ways',
        '5',
        '--meta-batch',
        '1',
        '--out',
        run,
      );
      expect(t.code, t.err).toBe(0);
      const exp = join(tmp, `export-${name}`);
      const out = join(tmp, `pred-${name}.csv`);
      const r = cli(
        'adapt',
        '-c',
        run,
        '--support',
        folders.support,
        '--query',
        folders.query,
        '-o',
        out,
        '--export',
        exp,
      );
      expect(r.code, r.err).toBe(0);
      const labels = JSON.parse(readFileSync(join(exp, 'labels.json'), 'utf8')) as string[];
      expect(labels).toEqual(readdirSync(folders.support).sort());
      const rows = csvRows(out);
      const images = rows.map(([file]) => decodeImage(readFileSync(join(folders.query, file)), file, 28));
      const x = new Float32Array(images.length * 784);
      images.forEach((img, i) => x.set(img, i * 784));
      const got = runOfficialRuntimes(exp, x, [images.length, 28, 28, 1]);
      expect(got.outputShape).toEqual([images.length, labels.length]);
      for (const scores of [got.tfjs, got.onnx]) {
        rows.forEach(([, label, score], i) => {
          const p = softmax(scores.subarray(i * labels.length, (i + 1) * labels.length));
          const best = p.indexOf(Math.max(...p));
          expect(labels[best]).toBe(label);
          expect(Math.abs(p[best] - Number(score))).toBeLessThan(TOLERANCE);
        });
      }
    });
  }
});
