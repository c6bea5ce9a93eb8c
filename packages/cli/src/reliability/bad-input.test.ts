import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointFolders, cli, type CliResult, cliInProcess, expectUserError } from './harness.js';

// Every case runs in this folder: afterwards it must hold exactly what it held before (nothing
// written outside an output folder, no partial checkpoint, the saved run untouched).
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const OMNIGLOT = resolve(fileURLToPath(new URL('../../../../../shared/data/omniglot', import.meta.url)));

const files: Record<string, string> = {
  'xy.csv': 'x,y\n1,2\n',
  'wrong-columns.csv': 'a,b\n1,2\n',
  'three-columns.csv': 'x,y,z\n1,2,3\n',
  'nan.csv': 'x,y\n1,NaN\n',
  'text.csv': 'x,y\n1,two\n',
  'ragged.csv': 'x,y\n1,2\n3\n',
  'header-only.csv': 'x,y\n',
  'empty.csv': '',
  'not-json.json': '{"train": ',
  'array.json': '[1, 2]',
  'unknown-key.json': '{"train": {"stepz": 3}}',
  'string-steps.json': '{"train": {"steps": "many"}}',
  'huge-model.json': '{"model": {"taskNet": {"sizes": [1, 30000, 30000, 1]}}}',
  'huge-embedding.json': '{"model": {"conditioning": "embedding", "embeddingTasks": 10000000}}',
  'picture.png': 'this is not a PNG',
  'omniglot-typo.json': '{"model": {"filterz": 8}}',
  'sinusoid-model.json': '{"model": {"task": "sinusoid"}}',
};

/** `afterProgress`: progress lines (data loading, the training banner) may come before the one error line. */
type Case = [name: string, args: string[], pattern: RegExp, afterProgress?: boolean];
const out = ['--out', 'new-run'];
const cases: Case[] = [
  // train: flags and values
  ['unknown flag', ['train', '--stepz', '3'], /unknown option '--stepz'/],
  ['unknown command', ['trian'], /unknown command 'trian'/],
  ['zero steps', ['train', '--steps', '0', ...out], /--steps <n>.*must be an integer from 1/],
  ['negative steps', ['train', '--steps', '-5', ...out], /--steps <n>.*must be an integer from 1/],
  ['10^12 steps', ['train', '--steps', '1e12', ...out], /--steps <n>.*to 100000000/],
  ['fractional steps', ['train', '--steps', '2.5', ...out], /--steps <n>.*must be an integer/],
  ['zero meta-batch', ['train', '--meta-batch', '0', ...out], /--meta-batch <t>.*must be an integer from 1/],
  ['word meta-batch', ['train', '--meta-batch', 'many', ...out], /--meta-batch <t>.*must be an integer/],
  [
    'batch too large for memory',
    ['train', '--meta-batch', '65536', '--queries', '100000', ...out],
    /too large for memory/,
  ],
  // sizes inside the flags' ranges that would not fit in wasm's heap are refused before allocating
  [
    'meta-batch past the heap',
    ['train', '--meta-batch', '65536', ...out],
    /one training step would need about \d+\.\d GiB, more than the 3\.4 GiB this backend can hold: lower --meta-batch/,
  ],
  [
    'eval batch past the heap',
    ['eval', '--checkpoint', 'run', '--shots', '10000', '--queries', '2000'],
    /this evaluation would need about \d+\.\d GiB/,
  ],
  ['zero queries', ['train', '--queries', '0', ...out], /--queries <q>.*must be an integer from 1/],
  ['zero shots', ['train', '--shots', '0', ...out], /--shots.*MIN-MAX/],
  ['reversed shot range', ['train', '--shots', '5-2', ...out], /--shots.*MIN-MAX/],
  ['zero lr', ['train', '--lr', '0', ...out], /--lr <x>.*must be a number > 0/],
  ['negative lr', ['train', '--lr', '-1', ...out], /--lr <x>.*must be a number > 0/],
  ['NaN lr', ['train', '--lr', 'NaN', ...out], /--lr <x>.*must be a number > 0/],
  ['huge lr', ['train', '--lr', '1e6', ...out], /--lr <x>.*≤ 10/],
  ['word seed', ['train', '--seed', 'abc', ...out], /--seed <s>.*must be an integer/],
  [
    'unknown backend',
    ['train', '--backend', 'gpu', ...out],
    /--backend.*Allowed choices are auto, wasm, node, cpu/,
  ],
  ['unknown task', ['train', '--task', 'mnist', ...out], /--task.*Allowed choices/],
  [
    'noise without inner steps',
    ['train', '--conditioning', 'noise', '--inner-steps', '0', ...out],
    /noise conditioning needs inner steps/,
  ],
  [
    'zero checkpoint interval',
    ['train', '--checkpoint-every', '0', ...out],
    /--checkpoint-every <n>.*must be an integer from 1/,
  ],
  ['zero workers', ['train', '--workers', '0', ...out], /--workers <n>.*must be an integer from 1/],
  [
    'workers for sinusoid',
    ['train', '--workers', '2', ...out],
    /--workers applies only where a training step splits into independent episodes/,
  ],
  // a family's flags are refused on another family, never silently ignored
  [
    'flag of another family',
    ['train', '--task', 'sinusoid', '--ways', '5', ...out],
    /--ways is a flag of omniglot and language, not of sinusoid/,
  ],
  [
    'switch of another family',
    ['train', '--modulation', ...out],
    /--modulation is a flag of omniglot, not of sinusoid/,
  ],
  [
    'negated switch of another family',
    ['train', '--no-rotations', ...out],
    /--no-rotations is a flag of omniglot, not of sinusoid/,
  ],
  [
    'eval flag of another family',
    ['eval', '--checkpoint', 'run', '--episodes-dir', 'empty-dir'],
    /--episodes-dir is a flag of omniglot and language, not of sinusoid/,
  ],
  [
    'method of another family',
    ['train', '--method', 'protonet', ...out],
    /--method protonet is not available for sinusoid \(available: hypernet\)/,
  ],
  // --config is read for every family (its keys checked against that family's config)
  [
    'omniglot config typo',
    ['train', '--task', 'omniglot', '--config', 'omniglot-typo.json', '--data-dir', 'nowhere', ...out],
    /omniglot-typo.json model: unknown key 'filterz'/,
  ],
  [
    'config of another family',
    ['train', '--task', 'omniglot', '--config', 'sinusoid-model.json', ...out],
    /its model is for task 'sinusoid', not omniglot/,
  ],
  // what a run fixes cannot change on --resume
  [
    'resume with other shots',
    ['train', '--resume', 'run', '--shots', '3'],
    /--shots cannot change when resuming/,
  ],
  [
    'resume with another task',
    ['train', '--resume', 'run', '--task', 'omniglot'],
    /--task cannot change when resuming/,
  ],
  [
    'resume with a family flag',
    ['train', '--resume', 'run', '--conditioning', 'noise'],
    /--conditioning cannot change when resuming/,
  ],
  [
    'workers for finetune',
    [
      'train',
      '--task',
      'omniglot',
      '--method',
      'finetune',
      '--data-dir',
      'nowhere',
      '--workers',
      '2',
      ...out,
    ],
    /--workers applies only where a training step splits into independent episodes/,
  ],
  ['zero checkpoints kept', ['train', '--keep', '0', ...out], /--keep <k>.*must be an integer from 1/],
  [
    'negative log interval',
    ['train', '--log-every', '-1', ...out],
    /--log-every <n>.*must be an integer from 1/,
  ],
  ['zero stop-at', ['train', '--stop-at', '0', ...out], /--stop-at <step>.*must be an integer from 1/],
  [
    'stop-at not ahead',
    ['train', '--resume', 'run', '--steps', '10', '--stop-at', '3'],
    /already at step 3: --stop-at must be later/,
  ],
  [
    'unknown divergence policy',
    ['train', '--on-divergence', 'ignore', ...out],
    /--on-divergence.*Allowed choices are stop, rollback/,
  ],
  [
    'zero divergence retries',
    ['train', '--divergence-retries', '0', ...out],
    /--divergence-retries <n>.*must be an integer from 1/,
  ],
  [
    'existing run without --resume',
    ['train', '--out', 'run', '--steps', '5'],
    /already holds a run.*--resume/,
  ],
  ['resume past the end', ['train', '--resume', 'run'], /already at step 3 of 3: pass a larger --steps/],
  ['resume from nowhere', ['train', '--resume', 'nowhere'], /nowhere: no such checkpoint folder/],
  // train: config files
  [
    'missing config',
    ['train', '--config', 'missing.json', ...out],
    /missing.json: cannot read a JSON config/,
  ],
  [
    'truncated config',
    ['train', '--config', 'not-json.json', ...out],
    /not-json.json: cannot read a JSON config/,
  ],
  [
    'config not an object',
    ['train', '--config', 'array.json', ...out],
    /array.json: the config must be a JSON object/,
  ],
  ['config unknown key', ['train', '--config', 'unknown-key.json', ...out], /unknown key 'stepz'/],
  ['config string steps', ['train', '--config', 'string-steps.json', ...out], /steps must be an integer/],
  [
    'config huge task network',
    ['train', '--config', 'huge-model.json', ...out],
    /the model would have \d+ parameters \(more than 50000000\)/,
  ],
  [
    'config huge embedding pool',
    ['train', '--config', 'huge-embedding.json', ...out],
    /the model would have \d+ parameters/,
  ],
  // eval
  ['eval without checkpoint', ['eval'], /required option '-c, --checkpoint <dir>' not specified/],
  ['eval missing checkpoint', ['eval', '--checkpoint', 'nowhere'], /nowhere: no such checkpoint folder/],
  ['eval empty folder', ['eval', '--checkpoint', 'empty-dir'], /empty-dir: holds no complete checkpoint/],
  [
    'eval zero tasks',
    ['eval', '--checkpoint', 'run', '--tasks', '0'],
    /--tasks <n>.*must be an integer from 1/,
  ],
  ['eval 10^12 tasks', ['eval', '--checkpoint', 'run', '--tasks', '1e12'], /--tasks <n>.*to 10000000/],
  [
    'eval zero shots',
    ['eval', '--checkpoint', 'run', '--shots', '0'],
    /--shots <k>.*must be an integer from 1/,
  ],
  ['eval 10^6 queries', ['eval', '--checkpoint', 'run', '--queries', '1000000'], /--queries <q>.*to 100000/],
  // adapt: CSV files
  [
    'adapt wrong columns',
    ['adapt', '--checkpoint', 'run', '--support', 'wrong-columns.csv'],
    /header must be 'x,y', found 'a,b'/,
  ],
  [
    'adapt extra column',
    ['adapt', '--checkpoint', 'run', '--support', 'three-columns.csv'],
    /header must be 'x,y'/,
  ],
  [
    'adapt NaN value',
    ['adapt', '--checkpoint', 'run', '--support', 'nan.csv'],
    /line 2, column y: 'NaN' is not a finite number/,
  ],
  [
    'adapt non-numeric value',
    ['adapt', '--checkpoint', 'run', '--support', 'text.csv'],
    /line 2, column y: 'two' is not a finite number/,
  ],
  [
    'adapt ragged rows',
    ['adapt', '--checkpoint', 'run', '--support', 'ragged.csv'],
    /ragged.csv: not a valid CSV/,
  ],
  [
    'adapt header only',
    ['adapt', '--checkpoint', 'run', '--support', 'header-only.csv'],
    /no data rows after the header/,
  ],
  [
    'adapt empty file',
    ['adapt', '--checkpoint', 'run', '--support', 'empty.csv'],
    /empty.csv: the file is empty/,
  ],
  [
    'adapt missing file',
    ['adapt', '--checkpoint', 'run', '--support', 'none.csv'],
    /none.csv: cannot read the file/,
  ],
  [
    'adapt query with y column',
    ['adapt', '--checkpoint', 'run', '--support', 'xy.csv', '--query', 'xy.csv'],
    /header must be 'x'/,
  ],
  // damaged checkpoints (made in beforeAll from the good run): eval and resume both refuse them
  [
    'truncated weights',
    ['eval', '--checkpoint', 'damaged-truncated'],
    /weights.bin: \d+ bytes, the manifest says \d+ \(truncated\?\)/,
  ],
  [
    'flipped byte',
    ['eval', '--checkpoint', 'damaged-flipped'],
    /weights.bin: checksum mismatch \(corrupt file\)/,
  ],
  [
    'truncated manifest',
    ['eval', '--checkpoint', 'damaged-manifest'],
    /checkpoint.json: not valid JSON \(truncated or corrupt\)/,
  ],
  [
    'future version',
    ['eval', '--checkpoint', 'damaged-version'],
    /checkpoint.json: version 2 is not supported/,
  ],
  // eval and adapt read weights only; resuming needs the optimizer moments too
  [
    'missing optimizer file',
    ['train', '--resume', 'damaged-missing', '--steps', '9'],
    /optimizer.bin: missing or unreadable/,
  ],
  [
    'resume damaged run',
    ['train', '--resume', 'damaged-flipped', '--steps', '9'],
    /weights.bin: checksum mismatch/,
  ],
  [
    'adapt a PNG as CSV',
    ['adapt', '--checkpoint', 'run', '--support', 'picture.png'],
    /picture.png: (the header must be|not a valid CSV)/,
  ],
  // numeric flags are decimal: JavaScript's Number() would read these as 16, 3, 7 and 1
  ['hex steps', ['train', '--steps', '0x10', ...out], /--steps <n>.*must be an integer from 1/],
  [
    'binary meta-batch',
    ['train', '--meta-batch', '0b11', '--steps', '1', ...out],
    /--meta-batch <t>.*must be an integer from 1/,
  ],
  [
    'octal queries',
    ['train', '--queries', '0o7', '--steps', '1', ...out],
    /--queries <q>.*must be an integer from 1/,
  ],
  ['hex lr', ['train', '--lr', '0x1', '--steps', '1', ...out], /--lr <x>.*must be a number > 0/],
  ['Infinity lr', ['train', '--lr', 'Infinity', '--steps', '1', ...out], /--lr <x>.*must be a number > 0/],
  ['empty steps', ['train', '--steps', '', ...out], /--steps <n>.*must be an integer from 1/],
  [
    'adapt --out a folder',
    ['adapt', '--checkpoint', 'run', '--support', 'xy.csv', '--out', 'empty-dir'],
    /cannot write empty-dir: it is a folder/,
  ],
  [
    'adapt --out in a missing folder',
    ['adapt', '--checkpoint', 'run', '--support', 'xy.csv', '--out', 'nowhere/p.csv'],
    /cannot write nowhere\/p\.csv: the folder nowhere does not exist/,
  ],
];
// Omniglot: a class has 20 images, so K + queries above 20 cannot be sampled.
if (existsSync(OMNIGLOT)) {
  cases.push([
    'omniglot ways past the heap',
    [
      'train',
      '--task',
      'omniglot',
      '--data-dir',
      OMNIGLOT,
      '--cache-dir',
      'omniglot-cache',
      '--ways',
      '1000',
      ...out,
    ],
    /one training step would need about \d+\.\d GiB/,
    true,
  ]);
  cases.push([
    'omniglot K beyond a class',
    [
      'train',
      '--task',
      'omniglot',
      '--data-dir',
      OMNIGLOT,
      '--cache-dir',
      'omniglot-cache',
      '--shots',
      '19',
      '--queries',
      '5',
      '--steps',
      '1',
      '--filters',
      '4',
      ...out,
    ],
    /shots \(19\) \+ queries \(5\) exceed the 20 images the smallest training class has/,
    true,
  ]);
}

/** Every path under the folder with its size and mtime (new-run/ may appear, empty: it is the output folder). */
function snapshot(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      const s = statSync(p);
      return s.isDirectory()
        ? [`${relative(tmp, p)}/`, ...walk(p)]
        : [`${relative(tmp, p)} ${s.size} ${s.mtimeMs}`];
    });
  return walk(tmp).filter((p) => p !== 'new-run/' && !p.startsWith('omniglot-cache'));
}

describe(`bad input: ${cases.length} cases, each one line on stderr and exit code 2`, () => {
  beforeAll(() => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
    mkdirSync(join(tmp, 'empty-dir'));
    const r = cli(
      tmp,
      'train',
      '--steps',
      '3',
      '--meta-batch',
      '2',
      '--out',
      'run',
      '--checkpoint-every',
      '1',
      '--keep',
      '2',
    );
    expect(r.code, r.err).toBe(0);
    const damage = (name: string, f: (dir: string) => void) => {
      cpSync(join(tmp, 'run'), join(tmp, name), { recursive: true });
      f(join(tmp, name, 'checkpoints', 'step-000000003'));
    };
    damage('damaged-truncated', (d) => truncateSync(join(d, 'weights.bin'), 100));
    damage('damaged-flipped', (d) => {
      const b = readFileSync(join(d, 'weights.bin'));
      b[b.length >> 1] ^= 0x01;
      writeFileSync(join(d, 'weights.bin'), b);
    });
    damage('damaged-manifest', (d) => truncateSync(join(d, 'checkpoint.json'), 60));
    damage('damaged-version', (d) =>
      writeFileSync(
        join(d, 'checkpoint.json'),
        readFileSync(join(d, 'checkpoint.json'), 'utf8').replace('"version": 1', '"version": 2'),
      ),
    );
    damage('damaged-missing', (d) => rmSync(join(d, 'optimizer.bin')));
  });

  const check = (r: CliResult, pattern: RegExp, afterProgress?: boolean, before?: string[]) => {
    expectUserError(
      afterProgress
        ? {
            ...r,
            err: r.err
              .split('\n')
              .filter((l) => l.startsWith('hypermeta:'))
              .join('\n'),
          }
        : r,
      pattern,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(snapshot()).toEqual(before);
    expect(checkpointFolders(join(tmp, 'new-run'))).toEqual({ complete: [], work: [] });
  };

  // in this process, through the function main.ts calls (see cliInProcess)
  it.each(cases)('%s', async (_name, args, pattern, afterProgress) => {
    const before = snapshot();
    check(await cliInProcess(tmp, ...args), pattern, afterProgress, before);
  });

  // and through the binary, for an error of each kind: commander's, a flag's check, a damaged file
  const names = ['unknown flag', 'zero steps', 'missing config', 'adapt NaN value', 'flipped byte'];
  const spawned = cases.filter(([name]) => names.includes(name));
  // a renamed case would silently drop out of this list
  if (spawned.length !== names.length) throw new Error(`binary cases: found ${spawned.length} of ${names}`);
  it.each(spawned)('the binary: %s', (_name, args, pattern, afterProgress) => {
    const before = snapshot();
    check(cli(tmp, ...args), pattern, afterProgress, before);
  });
});
