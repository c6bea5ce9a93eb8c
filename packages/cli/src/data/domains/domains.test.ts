import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@hypermeta/core';
import { domainNames, loadDomain, parseDomain, parseDomainList, type DomainContext } from './index.js';
import { fitInkBox } from './ink-box.js';
import { NOTO_DIR, SCRIPTS, scriptLetters } from './scripts.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-domains-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function context(cacheDir: string, lines: string[] = []): DomainContext {
  return { cacheDir, size: 28, heldOut: 2, log: (l) => lines.push(l) };
}

/** A PNG of a black rectangle (x0..x1, y0..y1) on white. */
function rectPng(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = x >= x0 && x <= x1 && y >= y0 && y <= y1 ? 0 : 255;
      const p = (y * w + x) * 4;
      png.data[p] = png.data[p + 1] = png.data[p + 2] = v;
      png.data[p + 3] = 255;
    }
  return PNG.sync.write(png);
}

describe('the domain registry', () => {
  it('knows the built-in domains and parses names, folders and lists', () => {
    expect(domainNames()).toEqual(['omniglot', 'mnist', 'scripts', 'emoji', 'folder:DIR', 'metadataset:DIR']);
    expect(parseDomain('mnist').loader.name).toBe('mnist');
    expect(parseDomain('folder:/x/y').path).toBe('/x/y');
    expect(parseDomainList('omniglot,mnist').map((s) => s.label)).toEqual(['omniglot', 'mnist']);
  });

  it('refuses unknown names, missing or extra folders and repeats in one line each', () => {
    expect(() => parseDomain('cifar')).toThrow(InvalidArgumentError);
    expect(() => parseDomain('cifar')).toThrow('unknown domain "cifar": expected one of omniglot, mnist');
    expect(() => parseDomain('folder')).toThrow('domain folder needs a folder: folder:DIR');
    expect(() => parseDomain('mnist:/x')).toThrow('takes no folder');
    expect(() => parseDomainList('mnist,mnist')).toThrow('listed twice');
    expect(() => parseDomainList(',')).toThrow('at least one domain');
  });
});

describe('glyph fitting', () => {
  it("centres the ink and scales its longer side to Omniglot's box (19 of 28 px)", () => {
    const png = PNG.sync.read(rectPng(100, 100, 5, 10, 24, 69)); // 20 × 60, off-centre
    const img = fitInkBox(png.data, 100, 100, 28);
    const rows = [...Array(28).keys()].filter((y) =>
      [...Array(28).keys()].some((x) => img[y * 28 + x] > 0.5),
    );
    const cols = [...Array(28).keys()].filter((x) => rows.some((y) => img[y * 28 + x] > 0.5));
    expect(rows.length).toBeGreaterThanOrEqual(18);
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(Math.abs((rows[0] + rows[rows.length - 1]) / 2 - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs((cols[0] + cols[cols.length - 1]) / 2 - 13.5)).toBeLessThanOrEqual(1);
    expect(img.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('built-in domains', () => {
  it('mnist: 10 digit classes of the 10,000 images, ink = 1, cached after the first load', async () => {
    const lines: string[] = [];
    const cache = join(tmp, 'mnist-cache');
    const first = await loadDomain(parseDomain('mnist'), context(cache, lines));
    expect(first.test.classes.map((c) => c.character)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(first.test.classOf.length).toBe(10_000);
    // background 0 at the corners, some ink in the middle
    expect(first.test.pixels[0]).toBe(0);
    expect(Math.max(...first.test.pixels.subarray(0, 784))).toBeGreaterThan(0.9);
    expect(lines).toHaveLength(1);
    const again = await loadDomain(parseDomain('mnist'), context(cache, lines));
    expect(lines).toHaveLength(1); // read back, not built again
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(again.test.pixels).equals(bytes(first.test.pixels))).toBe(true);
  }, 60_000);

  it('emoji: two vendors per emoji, grouped by category', async () => {
    const d = await loadDomain(parseDomain('emoji'), context(join(tmp, 'emoji-cache')));
    expect(d.test.classes.length).toBeGreaterThan(1500);
    expect(d.test.classes.every((c) => c.images.length === 2)).toBe(true);
    expect(new Set(d.test.classes.map((c) => c.alphabet))).not.toContain('Flags');
  }, 60_000);

  it('scripts: letters of each script in each font and weight; none of Omniglot’s scripts', async () => {
    expect(SCRIPTS.map((s) => s.name)).toEqual([
      'Thai',
      'Lao',
      'Khmer',
      'Sinhala',
      'Tamil',
      'Telugu',
      'Cherokee',
    ]);
    expect(scriptLetters(SCRIPTS[0])).toContain('ก');
    expect(scriptLetters(SCRIPTS[6])).toHaveLength(86);
    // One font only, so the test renders 86 letters × 3 weights rather than every script.
    const fonts = join(tmp, 'fonts');
    mkdirSync(fonts);
    symlinkSync(join(NOTO_DIR, 'NotoSansCherokee-Regular.ttf'), join(fonts, 'NotoSansCherokee-Regular.ttf'));
    process.env.HYPERMETA_NOTO_DIR = fonts;
    try {
      const d = await loadDomain(parseDomain('scripts'), context(join(tmp, 'scripts-cache')));
      expect(d.withinGroup).toBe(true);
      expect(d.test.classes.length).toBe(86);
      expect(d.test.classes.every((c) => c.alphabet === 'Cherokee' && c.images.length === 3)).toBe(true);
    } finally {
      delete process.env.HYPERMETA_NOTO_DIR;
    }
  }, 60_000);

  it('folder: episode folders become classes, support and query images together', async () => {
    const root = join(tmp, 'episodes');
    for (const [ep, labels] of [
      ['ep0', ['a', 'b']],
      ['ep1', ['c', 'd', 'e']],
    ] as const)
      for (const [i, l] of labels.entries())
        for (const part of ['support', 'query']) {
          mkdirSync(join(root, ep, part, l), { recursive: true });
          writeFileSync(join(root, ep, part, l, '1.png'), rectPng(20, 20, 2 + i, 3, 10 + i, 15));
        }
    const d = await loadDomain(parseDomain(`folder:${root}`), context(join(tmp, 'folder-cache')));
    expect(d.test.classes.map((c) => `${c.alphabet}/${c.character}:${c.images.length}`)).toEqual([
      'ep0/a:2',
      'ep0/b:2',
      'ep1/c:2',
      'ep1/d:2',
      'ep1/e:2',
    ]);
  });

  it('metadataset: the train split to train on, the test split to evaluate on', async () => {
    const dir = fileURLToPath(new URL('../meta-dataset/fixtures/tiny', import.meta.url));
    const d = await loadDomain(parseDomain(`metadataset:${dir}`), context(join(tmp, 'md-cache')));
    expect(d.train.classes.map((c) => c.character)).toEqual(['ring', 'cross']);
    expect(d.test.classes.map((c) => c.character)).toEqual(['photo']);
  });

  it('omniglot needs its data folder', async () => {
    await expect(loadDomain(parseDomain('omniglot'), context(join(tmp, 'og')))).rejects.toThrow('--data-dir');
  });
});
