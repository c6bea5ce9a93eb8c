import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, imageAt, imageCount, InvalidArgumentError, type ImageSet } from '@hypermeta/core';
import { encodeExample } from './example-proto.js';
import { frameTfRecord, loadMetaDatasetFolder, type LoadMetaDatasetOptions } from './index.js';

const TINY = fileURLToPath(new URL('./fixtures/tiny', import.meta.url));

interface Summary {
  sum: number;
  quadrants: number[];
  center: number;
}
interface ExpectedClass {
  id: number;
  name: string;
  split: string;
  format: 'png' | 'jpeg';
  records: Array<{ offset: number; length: number }>;
  ink: Array<Summary | null>;
  luminance: Summary[];
}
const expected = (
  JSON.parse(readFileSync(join(TINY, 'expected.json'), 'utf8')) as { classes: ExpectedClass[] }
).classes;
const spec = JSON.parse(readFileSync(join(TINY, 'dataset_spec.json'), 'utf8')) as Record<string, unknown>;

const work = mkdtempSync(join(tmpdir(), 'meta-dataset-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let copies = 0;

/** A copy of the fixture folder to damage: `edit` gets its path. */
function copy(edit: (dir: string) => void): string {
  const dir = join(work, `copy-${copies++}`);
  cpSync(TINY, dir, { recursive: true });
  edit(dir);
  return dir;
}

async function refused(dir: string, options: LoadMetaDatasetOptions = {}): Promise<string> {
  try {
    await loadMetaDatasetFolder(dir, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error(`${dir} loaded without an error`);
}

function summarise(set: ImageSet, i: number): Summary {
  const px = imageAt(set, i);
  const h = set.size / 2;
  const q = [0, 0, 0, 0];
  let sum = 0;
  for (let y = 0; y < set.size; y++) {
    for (let x = 0; x < set.size; x++) {
      const v = px[y * set.size + x];
      sum += v;
      q[(y < h ? 0 : 2) + (x < h ? 0 : 1)] += v;
    }
  }
  return { sum, quadrants: q, center: px[h * set.size + h] };
}

/**
 * Against TensorFlow's decoding (expected.json): PNG is lossless, so only float rounding differs;
 * JPEG decoders (jpeg-js here, libjpeg-turbo in TensorFlow) may round pixels differently, by
 * a fraction of a grey level on average.
 */
function expectClose(got: Summary, want: Summary, format: 'png' | 'jpeg'): void {
  const perPixel = format === 'png' ? 1e-4 : 0.5 / 255;
  expect(Math.abs(got.sum - want.sum)).toBeLessThan(28 * 28 * perPixel);
  got.quadrants.forEach((q, k) => expect(Math.abs(q - want.quadrants[k])).toBeLessThan(14 * 14 * perPixel));
  expect(Math.abs(got.center - want.center)).toBeLessThan(format === 'png' ? 1e-4 : 0.05);
}

describe('loadMetaDatasetFolder', () => {
  it('reads the records TensorFlow wrote: classes, labels and image count from the spec', async () => {
    const progress: number[] = [];
    const set = await loadMetaDatasetFolder(TINY, { onProgress: (p) => progress.push(p.done) });
    expect(set.size).toBe(28);
    expect(imageCount(set)).toBe(16);
    expect(set.classes.map((c) => [c.alphabet, c.character, c.images])).toEqual([
      ['train', 'ring', [0, 1, 2, 3]],
      ['train', 'cross', [4, 5, 6, 7]],
      ['valid', 'badge', [8, 9, 10, 11]],
      ['test', 'photo', [12, 13, 14, 15]],
    ]);
    expect([...set.classOf]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(progress.at(0)).toBe(0);
    expect(progress.at(-1)).toBe(16);
  });

  it('makes the same luminance pixels as TensorFlow’s decoders and area resize', async () => {
    // tiny_shapes is no drawing source of Meta-Dataset, so auto picks luminance
    for (const set of [
      await loadMetaDatasetFolder(TINY),
      await loadMetaDatasetFolder(TINY, { pixels: 'luminance' }),
    ]) {
      for (const [k, cls] of expected.entries()) {
        cls.luminance.forEach((want, i) => expectClose(summarise(set, k * 4 + i), want, cls.format));
      }
    }
  });

  it('makes ink = 1, background = 0 pixels for drawings of either polarity', async () => {
    const set = await loadMetaDatasetFolder(TINY, { pixels: 'ink' });
    let compared = 0;
    for (const [k, cls] of expected.entries()) {
      cls.ink.forEach((want, i) => {
        if (want) {
          expectClose(summarise(set, k * 4 + i), want, cls.format);
          compared++;
        }
      });
    }
    expect(compared).toBe(12);
    // dark ring on white and light cross on black both come out as little ink on a 0 background
    for (const i of [0, 4]) expect(summarise(set, i).sum).toBeLessThan(0.25 * 28 * 28);
    expect(imageAt(set, 0)[0]).toBe(0);
  });

  it('picks ink for omniglot and quickdraw on auto, and takes alphabets from superclasses', async () => {
    const dir = copy((d) => {
      const bilevel = {
        name: 'omniglot',
        superclasses_per_split: { TRAIN: 1, VALID: 1, TEST: 1 },
        classes_per_superclass: { '0': 2, '1': 1, '2': 1 },
        superclass_names: { '0': 'Shapes', '1': 'Badges', '2': 'Photos' },
        images_per_class: spec['images_per_class'],
        class_names: spec['class_names'],
        path: '/path/to/records/omniglot',
        file_pattern: '{}.tfrecords',
        __class__: 'BiLevelDatasetSpecification',
      };
      writeFileSync(join(d, 'dataset_spec.json'), JSON.stringify(bilevel));
    });
    const auto = await loadMetaDatasetFolder(dir, { alphabet: 'superclass' });
    const ink = await loadMetaDatasetFolder(TINY, { pixels: 'ink' });
    expect(auto.pixels).toEqual(ink.pixels);
    expect(auto.classes.map((c) => c.alphabet)).toEqual(['Shapes', 'Shapes', 'Badges', 'Photos']);
    expect(
      (await loadMetaDatasetFolder(dir, { alphabet: 'dataset' })).classes.map((c) => c.alphabet),
    ).toEqual(Array(4).fill('omniglot'));
    await expect(loadMetaDatasetFolder(TINY, { alphabet: 'superclass' })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it('loads chosen splits, the first N images per class and other sizes', async () => {
    const test = await loadMetaDatasetFolder(TINY, { splits: ['test'] });
    expect(test.classes.map((c) => c.character)).toEqual(['photo']);
    const all = await loadMetaDatasetFolder(TINY);
    expect(test.pixels).toEqual(all.pixels.subarray(12 * 784));
    const capped = await loadMetaDatasetFolder(TINY, { splits: ['train', 'valid'], maxImagesPerClass: 2 });
    expect(capped.classes.map((c) => c.images.length)).toEqual([2, 2, 2]);
    expect(capped.pixels.subarray(0, 2 * 784)).toEqual(all.pixels.subarray(0, 2 * 784));
    const big = await loadMetaDatasetFolder(TINY, { size: 56, splits: ['train'] });
    expect(big.pixels.length).toBe(8 * 56 * 56);
  });

  it('refuses a load over the image limit before reading any record', async () => {
    // the records are damaged too: the limit is checked first
    const dir = copy((d) => truncateSync(join(d, '0.tfrecords'), 30));
    expect(await refused(dir, { maxImages: 15 })).toMatch(
      /hold 16 images, more than the 15 one load may have/,
    );
    expect(imageCount(await loadMetaDatasetFolder(TINY, { maxImages: 15, maxImagesPerClass: 3 }))).toBe(12);
    // and a load whose pixels would not fit in memory
    const many = copy((d) =>
      writeFileSync(
        join(d, 'dataset_spec.json'),
        JSON.stringify({ ...spec, images_per_class: { 0: 4e4, 1: 4e4, 2: 4e4, 3: 4e4 } }),
      ),
    );
    expect(await refused(many, { size: 64, maxImages: 1e6 })).toMatch(
      /160000 images of 64×64 would take 2\.4 GiB, more than the 2 GiB one load may hold/,
    );
  });

  it('refuses a record longer than the record limit, naming the file and offset', async () => {
    const rec = expected[0].records[1];
    const file = join(TINY, '0.tfrecords');
    expect(await refused(TINY, { maxRecordBytes: 205 })).toBe(
      `${file}: TFRecord at byte offset ${rec.offset}: the record is ${rec.length} bytes long, more than the 205 bytes a record may have`,
    );
  });

  it('refuses each corruption with one DataError naming the file and the byte offset', async () => {
    const rec = expected[3].records[2];
    const at = (dir: string) =>
      new RegExp(`^${join(dir, '3.tfrecords')}: TFRecord at byte offset ${rec.offset}: `);
    const flip = (dir: string, pos: number) => {
      const file = join(dir, '3.tfrecords');
      const b = readFileSync(file);
      b[pos] ^= 0x20;
      writeFileSync(file, b);
    };
    const dataCrc = copy((d) => flip(d, rec.offset + 12 + rec.length + 2));
    expect(await refused(dataCrc)).toMatch(at(dataCrc));
    expect(await refused(dataCrc)).toMatch(/CRC32C of the record data does not match/);
    const lengthCrc = copy((d) => flip(d, rec.offset + 8));
    expect(await refused(lengthCrc)).toMatch(at(lengthCrc));
    expect(await refused(lengthCrc)).toMatch(/CRC32C of the length field does not match/);
    const cut = copy((d) => truncateSync(join(d, '3.tfrecords'), rec.offset + 12 + 7));
    expect(await refused(cut)).toMatch(at(cut));
    expect(await refused(cut)).toMatch(/truncated/);
  });

  it('checks each record’s label, features and image, and the record count against the spec', async () => {
    const file = (d: string) => join(d, '1.tfrecords');
    const record = (features: Parameters<typeof encodeExample>[0]) => frameTfRecord(encodeExample(features));
    const png = () => {
      const b = readFileSync(join(TINY, '1.tfrecords'));
      return b.subarray(12, 12 + expected[1].records[0].length); // record 0's Example, re-used below
    };
    const example = png();

    const swapped = copy((d) => cpSync(join(TINY, '0.tfrecords'), file(d)));
    expect(await refused(swapped)).toBe(
      `${file(swapped)}: record at byte offset 0: label 0 in the records file of class 1 (cross)`,
    );

    const noImage = copy((d) => writeFileSync(file(d), record({ label: { kind: 'int64', value: [1n] } })));
    expect(await refused(noImage)).toMatch(
      /record at byte offset 0: expected one encoded image in the bytes feature "image", found no such feature/,
    );

    const floatLabel = copy((d) =>
      writeFileSync(
        file(d),
        Buffer.concat([
          frameTfRecord(example),
          record({
            image: { kind: 'bytes', value: [new Uint8Array(4)] },
            label: { kind: 'float', value: [1] },
          }),
        ]),
      ),
    );
    expect(await refused(floatLabel)).toMatch(
      new RegExp(
        `record at byte offset ${16 + example.length}: expected one class id in the int64 feature "label", found 1 float value`,
      ),
    );

    const notImage = copy((d) =>
      writeFileSync(
        file(d),
        record({
          image: { kind: 'bytes', value: [new TextEncoder().encode('GIF89a')] },
          label: { kind: 'int64', value: [1n] },
        }),
      ),
    );
    expect(await refused(notImage)).toBe(
      `${file(notImage)}: record at byte offset 0: not a PNG or JPEG image`,
    );

    const notExample = copy((d) => writeFileSync(file(d), frameTfRecord(new Uint8Array([0x0a, 0x05, 0x01]))));
    expect(await refused(notExample)).toMatch(/record at byte offset 0: not a tf\.train\.Example \(/);

    const fewer = copy((d) => truncateSync(file(d), expected[1].records[3].offset));
    expect(await refused(fewer)).toBe(
      `${file(fewer)}: holds 3 records, but dataset_spec.json gives class 1 (cross) 4`,
    );
    const more = copy((d) =>
      writeFileSync(file(d), Buffer.concat([readFileSync(file(d)), frameTfRecord(example)])),
    );
    expect(await refused(more)).toMatch(
      /holds more than the 4 records dataset_spec\.json gives class 1 \(cross\)/,
    );

    const missing = copy((d) => rmSync(file(d)));
    expect(await refused(missing)).toMatch(new RegExp(`cannot read ${file(missing)}`));
  });

  it('refuses a folder that is not Meta-Dataset records, and bad options', async () => {
    expect(await refused(join(work, 'nowhere'))).toMatch(/cannot read/);
    const noSpec = copy((d) => rmSync(join(d, 'dataset_spec.json')));
    expect(await refused(noSpec)).toMatch(/dataset_spec\.json .*one <class id>\.tfrecords file per class/);
    const badJson = copy((d) => writeFileSync(join(d, 'dataset_spec.json'), '{"name": '));
    expect(await refused(badJson)).toMatch(/dataset_spec\.json: not valid JSON/);
    await expect(loadMetaDatasetFolder(TINY, { maxImages: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(loadMetaDatasetFolder(TINY, { splits: ['TRAIN' as never] })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(loadMetaDatasetFolder(TINY, { size: 0 })).rejects.toThrow(InvalidArgumentError);
  });
});
