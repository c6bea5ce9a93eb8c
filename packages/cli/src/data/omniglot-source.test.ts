import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { decodeImage } from './image-decode.js';
import { loadEpisodeFolder, loadImageFile, loadOmniglot, type LoadProgress } from './omniglot-source.js';

/** The monorepo root: the nearest folder above this file whose package.json declares workspaces. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dirname(dir) !== dir) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).workspaces) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
}

const DATA = process.env.HYPERMETA_OMNIGLOT_DIR ?? resolve(repoRoot(), '../shared/data/omniglot');
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-omniglot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function timedLoad(dataDir: string, cacheDir: string, size = 28) {
  const events: LoadProgress[] = [];
  const t0 = performance.now();
  const set = await loadOmniglot(dataDir, { cacheDir, size, onProgress: (p) => events.push(p) });
  return { set, ms: performance.now() - t0, phases: new Set(events.map((e) => e.phase)), events };
}

/** A 105x105 RGBA picture: a bar of ink on a plain background; `inverted` gives white on black. */
function drawing(seed: number, inverted = false): { width: number; height: number; data: Buffer } {
  const w = 105;
  const data = Buffer.alloc(w * w * 4);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const ink = x >= 20 + seed * 5 && x < 35 + seed * 5 && y >= 10 && y < 90;
      const v = ink !== inverted ? 0 : 255;
      data.set([v, v, v, 255], (y * w + x) * 4);
    }
  }
  return { width: w, height: w, data };
}

function png(seed: number, inverted = false): Buffer {
  const img = drawing(seed, inverted);
  const p = new pngjs.PNG({ width: img.width, height: img.height });
  img.data.copy(p.data);
  return pngjs.PNG.sync.write(p);
}

const jpg = (seed: number, inverted = false): Buffer => jpeg.encode(drawing(seed, inverted), 95).data;

// toEqual on millions of floats takes seconds; compare the raw bytes instead
const sameBytes = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function write(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

describe.skipIf(!existsSync(join(DATA, 'images_background_small1.zip')))(
  'loadOmniglot on the real small archives',
  () => {
    const cacheDir = join(tmp, 'real-cache');
    let first: Awaited<ReturnType<typeof timedLoad>>;

    beforeAll(async () => {
      first = await timedLoad(DATA, cacheDir);
      console.log(`omniglot: decoded ${first.set.classOf.length} images in ${first.ms.toFixed(0)} ms`);
    }, 120_000);

    it('merges both archives into 242 characters of 20 images in 8 alphabets', () => {
      const { set } = first;
      expect(set.size).toBe(28);
      expect(set.classes).toHaveLength(242);
      expect(set.classes.every((c) => c.images.length === 20)).toBe(true);
      expect(new Set(set.classes.map((c) => c.alphabet)).size).toBe(8);
      expect(set.classes.filter((c) => c.alphabet === 'Greek')).toHaveLength(24);
      expect(set.classOf.length).toBe(4840);
      expect(set.pixels.length).toBe(4840 * 28 * 28);
      expect(first.phases.has('decode')).toBe(true);
    });

    it('maps ink to 1 and background to 0', () => {
      const { pixels } = first.set;
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const v of pixels) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThanOrEqual(1);
      expect(max).toBeGreaterThan(0.9);
      expect(sum / pixels.length).toBeLessThan(0.25); // thin strokes on a blank page
      expect(pixels[0]).toBe(0); // corners are background
    });

    it('reads the cache on the second load, much faster and identical', async () => {
      const second = await timedLoad(DATA, cacheDir);
      console.log(
        `omniglot: cached load in ${second.ms.toFixed(0)} ms (first load ${first.ms.toFixed(0)} ms)`,
      );
      expect(second.phases.has('cache-hit')).toBe(true);
      expect(second.phases.has('decode')).toBe(false);
      expect(second.ms).toBeLessThan(first.ms / 4);
      expect(second.set.classes).toEqual(first.set.classes);
      expect(sameBytes(second.set.pixels, first.set.pixels)).toBe(true);
    });

    it('rebuilds a corrupted cache', async () => {
      const bin = readdirSync(cacheDir).find((f) => f.endsWith('.bin'))!;
      const bytes = readFileSync(join(cacheDir, bin));
      bytes[1000] ^= 0xff;
      writeFileSync(join(cacheDir, bin), bytes);
      const third = await timedLoad(DATA, cacheDir);
      expect(third.events.find((e) => e.phase === 'cache-miss')?.note).toMatch(/checksum/);
      expect(sameBytes(third.set.pixels, first.set.pixels)).toBe(true);
      expect((await timedLoad(DATA, cacheDir)).phases.has('cache-hit')).toBe(true);
    }, 120_000);
  },
);

describe('loadOmniglot on synthetic data', () => {
  it('loads extracted folders, mixes PNG and JPEG and normalises polarity', async () => {
    const data = join(tmp, 'folders');
    write(join(data, 'set', 'Alpha', 'character01', 'a_01.png'), png(0));
    write(join(data, 'set', 'Alpha', 'character01', 'a_02.jpg'), jpg(0, true)); // white on black
    write(join(data, 'set', 'Beta', 'character01', 'b_01.png'), png(1, true));
    write(join(data, 'README.md'), 'not data');
    const { set } = await timedLoad(data, join(tmp, 'folders-cache'));
    expect(set.classes.map((c) => `${c.alphabet}/${c.character}/${c.images.length}`)).toEqual([
      'Alpha/character01/2',
      'Beta/character01/1',
    ]);
    const a = set.pixels.subarray(0, 784);
    const b = set.pixels.subarray(784, 1568);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(0.05); // inverted JPEG matches
    expect(a[14 * 28 + 7]).toBeCloseTo(1, 5); // inside the bar (x 20..35 of 105 -> cells 5.3..9.3)
    expect(a[14 * 28 + 20]).toBe(0);
  });

  it('detects changed sources and a truncated cache', async () => {
    const data = join(tmp, 'stale');
    const cache = join(tmp, 'stale-cache');
    write(join(data, 'A', 'character01', '1.png'), png(0));
    write(join(data, 'A', 'character02', '1.png'), png(2));
    expect((await timedLoad(data, cache)).phases.has('decode')).toBe(true);
    expect((await timedLoad(data, cache)).phases.has('cache-hit')).toBe(true);
    write(join(data, 'A', 'character02', '2.png'), png(3));
    const changed = await timedLoad(data, cache);
    expect(changed.events.find((e) => e.phase === 'cache-miss')?.note).toMatch(/changed/);
    expect(changed.set.classOf.length).toBe(3);
    const bin = readdirSync(cache).find((f) => f.endsWith('.bin'))!;
    writeFileSync(join(cache, bin), readFileSync(join(cache, bin)).subarray(0, 100));
    const rebuilt = await timedLoad(data, cache);
    expect(rebuilt.events.find((e) => e.phase === 'cache-miss')?.note).toMatch(/length/);
    expect(sameBytes(rebuilt.set.pixels, changed.set.pixels)).toBe(true);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['../evil.png', /unsafe zip entry "\.\.\/evil\.png"/],
    ['/abs.png', /unsafe zip entry "\/abs\.png"/],
    ['A/character01/x.png', /x\.png: not a PNG or JPEG image/],
  ])('rejects the zip entry %s with a DataError', async (entry, message) => {
    const data = mkdtempSync(join(tmp, 'zip-'));
    const files = {
      'A/character01/ok.png': new Uint8Array(png(0)),
      [entry]: new TextEncoder().encode('hello'),
    };
    write(join(data, 'bad.zip'), zipSync(files));
    const load = loadOmniglot(data, { cacheDir: join(data, 'cache') });
    await expect(load).rejects.toThrow(DataError);
    await expect(loadOmniglot(data, { cacheDir: join(data, 'cache') })).rejects.toThrow(message);
    expect(existsSync(join(data, 'cache'))).toBe(false);
  });
});

describe('loadImageFile and loadEpisodeFolder', () => {
  it('gives a DataError for non-image files', async () => {
    write(join(tmp, 'notes.png'), 'just text');
    await expect(loadImageFile(join(tmp, 'notes.png'), 28)).rejects.toThrow(DataError);
    await expect(loadImageFile(join(tmp, 'missing.png'), 28)).rejects.toThrow(/cannot read image/);
    expect(() =>
      decodeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0]), 'broken.png', 28),
    ).toThrow(/broken\.png: cannot decode PNG/);
  });

  it('area-averages exactly when shrinking', () => {
    const p = new pngjs.PNG({ width: 4, height: 4 });
    p.data.fill(255);
    for (const i of [0, 1, 4]) p.data.set([0, 0, 0, 255], i * 4); // 3 of the top-left 2x2 block
    expect([...decodeImage(pngjs.PNG.sync.write(p), 'tiny.png', 2)]).toEqual([0.75, 0, 0, 0]);
  });

  it('reads support and labeled or unlabeled query folders', async () => {
    const ep = join(tmp, 'episode');
    for (const [i, label] of ['dog', 'cat'].entries()) {
      write(join(ep, 'support', label, '1.png'), png(i));
      write(join(ep, 'support', label, '2.jpg'), jpg(i));
      write(join(ep, 'query', label, 'q.png'), png(i));
    }
    write(join(ep, 'support', 'cat', '.DS_Store'), 'junk');
    const labeled = await loadEpisodeFolder(ep, 28);
    expect(labeled.labelNames).toEqual(['cat', 'dog']);
    expect([labeled.ways, labeled.shots]).toEqual([2, 2]);
    expect(labeled.supportShape).toEqual([4, 28, 28, 1]);
    expect([...labeled.supportLabels]).toEqual([0, 0, 1, 1]);
    expect([...labeled.queryLabels!]).toEqual([0, 1]);
    expect(labeled.queryNames).toEqual(['cat/q.png', 'dog/q.png']);
    expect(labeled.query.subarray(0, 784)).toEqual(labeled.support.subarray(0, 784)); // cat/1.png = cat/q.png

    rmSync(join(ep, 'query'), { recursive: true });
    write(join(ep, 'query', 'b.png'), png(0));
    write(join(ep, 'query', 'a.jpg'), jpg(1));
    const unlabeled = await loadEpisodeFolder(ep, 28);
    expect(unlabeled.queryLabels).toBeNull();
    expect(unlabeled.queryNames).toEqual(['a.jpg', 'b.png']);
    expect(unlabeled.queryShape).toEqual([2, 28, 28, 1]);

    write(join(ep, 'support', 'cat', '3.png'), png(1));
    await expect(loadEpisodeFolder(ep, 28)).rejects.toThrow(/same number .* \(cat: 3, dog: 2\)/);
    write(join(ep, 'support', 'cat', 'notes.txt'), 'x');
    await expect(loadEpisodeFolder(ep, 28)).rejects.toThrow(/notes\.txt: not an image/);
  });
});
