import {
  cpSync,
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
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli as cliIn, type CliResult } from './reliability/harness.js';

const ROOT = resolve(dirname(BIN), '../../..');
const DATA = process.env.HYPERMETA_OMNIGLOT_DIR ?? resolve(ROOT, '../shared/data/omniglot');
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-omniglot-cli-'));
const cache = join(tmp, 'cache');
const run = join(tmp, 'run');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]): CliResult => cliIn(tmp, ...args);

/** Writes users' episodes from held-out (Tagalog) characters: support/<label>/ and query/<label>/. */
function makeEpisodeFolders(): string {
  const zip = unzipSync(readFileSync(join(DATA, 'images_background_small2.zip')), {
    filter: (f) => f.name.includes('/Tagalog/') && f.name.endsWith('.png'),
  });
  const byChar = new Map<string, [string, Uint8Array][]>();
  for (const [name, bytes] of Object.entries(zip)) {
    const ch = name.split('/').slice(-2, -1)[0];
    byChar.set(ch, [...(byChar.get(ch) ?? []), [name.split('/').pop()!, bytes]]);
  }
  const chars = [...byChar.keys()].sort().slice(0, 10);
  const root = join(tmp, 'episodes');
  for (const [e, group] of [chars.slice(0, 5), chars.slice(5, 10)].entries()) {
    for (const ch of group) {
      const files = byChar.get(ch)!.sort(([a], [b]) => a.localeCompare(b));
      for (const [part, slice] of [
        ['support', files.slice(0, 1)],
        ['query', files.slice(1, 4)],
      ] as const) {
        mkdirSync(join(root, `ep${e}`, part, ch), { recursive: true });
        for (const [f, b] of slice) writeFileSync(join(root, `ep${e}`, part, ch, f), b);
      }
    }
  }
  return root;
}

describe.skipIf(!existsSync(DATA))('hypermeta on Omniglot, end to end', () => {
  it('trains a short hypernet configuration that beats chance by a wide margin', () => {
    const t = cli(
      'train',
      '--task',
      'omniglot',
      '--method',
      'hypernet',
      '--data-dir',
      DATA,
      '--cache-dir',
      cache,
      '--steps',
      '300',
      '--queries',
      '2',
      '--filters',
      '16',
      '--ways',
      '10',
      '--meta-batch',
      '1',
      '--out',
      run,
      '--checkpoint-every',
      '75',
    );
    expect(t.code, t.err).toBe(0);
    const r = cli(
      'eval',
      '--checkpoint',
      run,
      '--episodes',
      '100',
      '--ways',
      '5',
      '--shots',
      '1',
      '--cache-dir',
      cache,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      task: 'omniglot',
      method: 'hypernet',
      ways: 5,
      shots: 1,
      episodes: 100,
      alphabets: ['Sanskrit', 'Tagalog'],
    });
    // Chance is 20 %; this seed and configuration measured 66.3 % here (default head: auxiliary prototype loss of weight 3, no backbone modulation).
    expect(j.accuracy).toBeGreaterThan(0.45);
    expect(j.ci95).toBeGreaterThan(0);
    const w = cli(
      'eval',
      '--checkpoint',
      run,
      '--episodes',
      '20',
      '--ways',
      '5',
      '--within-alphabet',
      '--cache-dir',
      cache,
      '--json',
    );
    expect(w.code, w.err).toBe(0);
    expect(JSON.parse(w.out)).toMatchObject({ withinAlphabet: true, ways: 5, episodes: 20 });
  });

  it("splits each step's episodes over worker threads without changing a single weight", () => {
    const weights = (threads: string) => {
      const dir = join(tmp, `threads-${threads}`);
      const t = cli(
        'train',
        '--task',
        'omniglot',
        '--method',
        'hypernet',
        '--data-dir',
        DATA,
        '--cache-dir',
        cache,
        '--steps',
        '3',
        '--filters',
        '8',
        '--ways',
        '5',
        '--meta-batch',
        '3',
        '--workers',
        threads,
        '--out',
        dir,
        '--checkpoint-every',
        '3',
      );
      expect(t.code, t.err).toBe(0);
      expect(t.err).toContain(
        threads === '1' ? 'backend wasm, 3 steps' : `backend wasm on ${threads} threads`,
      );
      return readFileSync(join(dir, 'checkpoints', 'step-000000003', 'weights.bin'));
    };
    const one = weights('1');
    expect(weights('2').equals(one)).toBe(true);
    expect(weights('3').equals(one)).toBe(true);
  });

  it("evaluates users' episode folders and reports each episode", () => {
    const dir = makeEpisodeFolders();
    const r = cli('eval', '--checkpoint', run, '--episodes-dir', dir, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.episodes).toBe(2);
    expect(
      j.perEpisode.map((p: { ways: number; shots: number; queries: number }) => [p.ways, p.shots, p.queries]),
    ).toEqual([
      [5, 1, 15],
      [5, 1, 15],
    ]);
    expect(j.accuracy).toBeGreaterThan(0.3);
  });

  it('labels unlabeled query images with file,label,score rows', () => {
    const ep = join(tmp, 'episodes', 'ep0');
    const q = join(tmp, 'unlabeled');
    mkdirSync(q, { recursive: true });
    for (const ch of readdirSync(join(ep, 'query')))
      for (const f of readdirSync(join(ep, 'query', ch)))
        writeFileSync(join(q, f), readFileSync(join(ep, 'query', ch, f)));
    const out = join(tmp, 'labels.csv');
    const r = cli('adapt', '--checkpoint', run, '--support', join(ep, 'support'), '--query', q, '--out', out);
    expect(r.code, r.err).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('file,label,score');
    expect(rows).toHaveLength(16);
    const labels = new Set(readdirSync(join(ep, 'support')));
    for (const row of rows.slice(1)) {
      const [, label, score] = row.split(',');
      expect(labels.has(label)).toBe(true);
      expect(Number(score)).toBeGreaterThan(0);
      expect(Number(score)).toBeLessThanOrEqual(1);
    }
  });

  it('adapts to labels with different numbers of images, and does not classify a blank query', () => {
    const ep = join(tmp, 'episodes', 'ep0');
    const chars = readdirSync(join(ep, 'support')).sort();
    const support = join(tmp, 'uneven-support');
    // The first label gets its 3 query images as extra support examples; the others keep one.
    for (const ch of chars) {
      mkdirSync(join(support, ch), { recursive: true });
      for (const part of ch === chars[0] ? ['support', 'query'] : ['support']) {
        for (const f of readdirSync(join(ep, part, ch)))
          writeFileSync(join(support, ch, f), readFileSync(join(ep, part, ch, f)));
      }
    }
    const q = join(tmp, 'with-blank');
    mkdirSync(q, { recursive: true });
    for (const ch of chars.slice(1))
      for (const f of readdirSync(join(ep, 'query', ch)))
        writeFileSync(join(q, f), readFileSync(join(ep, 'query', ch, f)));
    const white = new PNG({ width: 105, height: 105 });
    white.data.fill(255);
    writeFileSync(join(q, 'blank.png'), PNG.sync.write(white));
    const out = join(tmp, 'uneven.csv');
    const r = cli('adapt', '--checkpoint', run, '--support', support, '--query', q, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /warning: 1 query image\(s\) are blank or nearly blank and are not classified \(empty label\): blank.png/,
    );
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(rows).toHaveLength(13);
    expect(rows.find((row) => row[0] === 'blank.png')).toEqual(['blank.png', '', '']);
    // The queries come from labels 2–5: most land there, not on the label with the most examples.
    const right = rows.filter(
      ([f, label]) => f !== 'blank.png' && readdirSync(join(ep, 'query', label)).includes(f),
    ).length;
    expect(right).toBeGreaterThan(6);
    writeFileSync(join(support, chars[1], 'blank.png'), PNG.sync.write(white));
    const refused = cli('adapt', '--checkpoint', run, '--support', support, '--query', q, '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /blank.png: the image is blank or nearly blank: a support example must show its class/,
    );
  });

  it('refuses impossible episodes and bad folders with one line and exit code 2', () => {
    const bad = (args: string[], pattern: RegExp) => {
      const r = cli(...args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    };
    bad(
      ['eval', '--checkpoint', run, '--shots', '19', '--queries', '5', '--cache-dir', cache],
      /shots|images/,
    );
    bad(['eval', '--checkpoint', run, '--ways', '500', '--cache-dir', cache], /ways/);
    // Sanskrit, the larger held-out alphabet, has 42 characters.
    bad(
      ['eval', '--checkpoint', run, '--ways', '43', '--within-alphabet', '--cache-dir', cache],
      /within any one alphabet \(at most 42\)/,
    );
    bad(
      [
        'train',
        '--task',
        'omniglot',
        '--data-dir',
        DATA,
        '--cache-dir',
        cache,
        '--within-alphabet',
        '--ways',
        '1000',
        '--out',
        join(tmp, 'too-wide'),
      ],
      /--ways 1000 exceeds the \d+ classes of the largest training alphabet/,
    );
    bad(
      [
        'train',
        '--task',
        'omniglot',
        '--method',
        'protonet',
        '--data-dir',
        DATA,
        '--cache-dir',
        cache,
        '--proto-loss',
        '1',
        '--out',
        join(tmp, 'proto-aux'),
      ],
      /auxiliary prototype loss is a hypernet option/,
    );
    bad(
      [
        'train',
        '--task',
        'omniglot',
        '--data-dir',
        DATA,
        '--cache-dir',
        cache,
        '--proto-loss',
        '-1',
        '--out',
        join(tmp, 'neg-aux'),
      ],
      /--proto-loss.*≥ 0/,
    );
    bad(['train', '--task', 'omniglot', '--out', join(tmp, 'nodata')], /needs --data-dir/);
    const junk = join(tmp, 'junk');
    mkdirSync(join(junk, 'support', 'a'), { recursive: true });
    mkdirSync(join(junk, 'support', 'b'), { recursive: true });
    writeFileSync(join(junk, 'support', 'a', 'x.png'), 'not a png');
    writeFileSync(join(junk, 'support', 'b', 'y.png'), 'not a png');
    bad(
      [
        'adapt',
        '--checkpoint',
        run,
        '--support',
        join(junk, 'support'),
        '--query',
        join(junk, 'support', 'a'),
      ],
      /x.png/,
    );
  });

  it('stores the data folder as an absolute path, and says when it is gone or relative', () => {
    const moved = join(tmp, 'data-copy');
    cpSync(DATA, moved, { recursive: true });
    const own = join(tmp, 'own-data');
    const t = cli(
      'train',
      '--task',
      'omniglot',
      '--method',
      'protonet',
      '--data-dir',
      'data-copy',
      '--cache-dir',
      cache,
      '--steps',
      '1',
      '--filters',
      '4',
      '--ways',
      '5',
      '--out',
      own,
    );
    expect(t.code, t.err).toBe(0);
    const manifest = join(own, 'checkpoints', 'step-000000001', 'checkpoint.json');
    expect(JSON.parse(readFileSync(manifest, 'utf8')).model.dataDir).toBe(moved);
    rmSync(moved, { recursive: true });
    const bad = (pattern: RegExp) => {
      const r = cli('eval', '--checkpoint', own, '--episodes', '2', '--cache-dir', cache);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    };
    bad(/the data folder this run was trained on, .*data-copy, is gone: pass --data-dir DIR/);
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    writeFileSync(manifest, JSON.stringify({ ...m, model: { ...m.model, dataDir: 'data-copy' } }));
    bad(/stores its data folder as a relative path \(data-copy\): pass --data-dir DIR/);
    const r = cli(
      'eval',
      '--checkpoint',
      own,
      '--episodes',
      '2',
      '--data-dir',
      DATA,
      '--cache-dir',
      cache,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
  });
});
