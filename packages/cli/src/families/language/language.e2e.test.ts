import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn, cliInProcess, type CliResult } from '../../reliability/harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-language-cli-'));
const run = join(tmp, 'run');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// the commands keep the bank of training languages they build here (the children inherit the
// variable; it is put back for the test files this worker runs next)
const cache = join(tmp, 'cache');
const cacheBefore = process.env.HYPERMETA_CACHE_DIR;
process.env.HYPERMETA_CACHE_DIR = cache;
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.HYPERMETA_CACHE_DIR;
  else process.env.HYPERMETA_CACHE_DIR = cacheBefore;
});
const keptBanks = () =>
  existsSync(cache) ? readdirSync(cache).filter((n) => /^language-bank-[0-9a-f]+\.bin$/.test(n)) : [];

const cli = (...args: string[]): CliResult => cliIn(tmp, ...args);

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

const ENGLISH = 'All human beings are born free and equal in dignity and rights.';
const FRENCH = 'Tous les êtres humains naissent libres et égaux en dignité et en droits.';
const GERMAN = 'Alle Menschen sind frei und gleich an Würde und Rechten geboren.';

/** A user's episode: support/<label>/a.txt and query/<label>/b.txt for English, French and German. */
function episodeFolder(root: string): void {
  const q = {
    en: 'Everyone has the right to life, liberty and security of person.',
    fr: 'Tout individu a droit à la vie, à la liberté et à la sûreté de sa personne.',
    de: 'Jeder hat das Recht auf Leben, Freiheit und Sicherheit der Person.',
  };
  write(join(root, 'support/en/a.txt'), ENGLISH);
  write(join(root, 'support/fr/a.txt'), FRENCH);
  write(join(root, 'support/de/a.txt'), GERMAN);
  for (const [l, t] of Object.entries(q)) write(join(root, `query/${l}/b.txt`), t);
}

describe('hypermeta on language identification, end to end', () => {
  beforeAll(() => {
    const r = cli(
      'train',
      '--task',
      'language',
      '--method',
      'hypernet',
      '--steps',
      '3',
      '--ways',
      '5',
      '--buckets',
      '1024',
      '--width',
      '16',
      '--confusable-share',
      '0',
      '--snippet',
      '20',
      '--out',
      run,
    );
    expect(r.code, r.err).toBe(0);
  }, 600_000);

  it('evaluates with --json: the fields every table needs, the baseline and the ablation on the same episodes', () => {
    const r = cli(
      'eval',
      '-c',
      run,
      '--ways',
      '5',
      '--episodes',
      '8',
      '--snippet',
      '25',
      '--confusable',
      '--baseline',
      '--ablation',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    for (const k of [
      'task',
      'method',
      'ways',
      'shots',
      'snippet',
      'confusable',
      'episodes',
      'accuracy',
      'ci95',
    ])
      expect(j).toHaveProperty(k);
    expect(j).toMatchObject({
      task: 'language',
      method: 'hypernet',
      ways: 5,
      shots: 1,
      snippet: 25,
      confusable: true,
      episodes: 8,
    });
    expect((j.baseline as { accuracy: number }).accuracy).toBeGreaterThan(0);
    expect(j).toHaveProperty('prototypeHead');
    // the default hypernet writes character language models with a bank of training languages:
    // both ablations and both baselines (the models alone, and with the bank)
    for (const k of ['charLmBaseline', 'charLmBankBaseline', 'withoutLm', 'lmOnly'])
      expect((j[k] as { accuracy: number }).accuracy, k).toBeGreaterThanOrEqual(0);
    // the bank it built is kept for the next command
    expect(keptBanks()).toHaveLength(1);
  }, 600_000);

  it("scores a folder of the user's own episodes", () => {
    episodeFolder(join(tmp, 'episodes/one'));
    episodeFolder(join(tmp, 'episodes/two'));
    const r = cli('eval', '-c', run, '--episodes-dir', join(tmp, 'episodes'), '--baseline', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { episodes: number; accuracy: number; baseline: object };
    expect(j.episodes).toBe(2);
    expect(j.accuracy).toBeGreaterThanOrEqual(0);
    expect(j.baseline).toBeDefined();
  }, 600_000);

  it('adapts to a support folder and writes every query line back, quoted where needed', () => {
    const support = join(tmp, 'support');
    write(join(support, 'en/1.txt'), ENGLISH);
    write(join(support, 'fr/1.txt'), FRENCH);
    const lines = ['He said "no, never", then left.', 'Le chat, "noir", dort.', 'plain line'];
    write(join(tmp, 'queries.txt'), lines.join('\n') + '\n\n');
    const out = join(tmp, 'pred.csv');
    // a kept bank cut short (a full disk, a copy stopped half-way) is built again and replaced
    const [kept] = keptBanks();
    const size = statSync(join(cache, kept)).size;
    writeFileSync(join(cache, kept), readFileSync(join(cache, kept)).subarray(0, 1000));
    const r = cli('adapt', '-c', run, '--support', support, '--query', join(tmp, 'queries.txt'), '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(keptBanks()).toEqual([kept]);
    expect(statSync(join(cache, kept)).size).toBe(size);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as {
      text: string;
      label: string;
      score: string;
    }[];
    expect(rows.map((x) => x.text)).toEqual(lines);
    for (const row of rows) {
      expect(['en', 'fr']).toContain(row.label);
      expect(Number(row.score)).toBeGreaterThanOrEqual(0.5);
    }
  }, 600_000);

  it("saves the language models' estimator and bank: the default, or the one the flags name", () => {
    const saved = (dir: string) => {
      const steps = readdirSync(join(dir, 'checkpoints')).sort();
      return JSON.parse(readFileSync(join(dir, 'checkpoints', steps.at(-1)!, 'checkpoint.json'), 'utf8'))
        .model;
    };
    expect(saved(run)).toMatchObject({
      lmFloor: 'pooled',
      lmBeta: 1,
      lmBank: 0.4,
      lmBankNeighbours: 10,
      lmBankKeep: 5,
      lmBankFitOrder: 3,
    });
    // the bank is every training language, named so that eval and adapt rebuild the same one
    expect(saved(run).lmBankLanguages).toHaveLength(330);
    const earlier = join(tmp, 'earlier-estimator');
    const small = ['--steps', '1', '--ways', '5', '--buckets', '1024', '--width', '16', '--snippet', '20'];
    const r = cli(
      'train',
      '--task',
      'language',
      ...small,
      '--lm-floor',
      'uniform',
      '--lm-beta',
      '0.5',
      '--lm-bank',
      '0',
      '--lm-bank-fit-order',
      '2',
      '--out',
      earlier,
    );
    expect(r.code, r.err).toBe(0);
    expect(saved(earlier)).toMatchObject({
      lmFloor: 'uniform',
      lmBeta: 0.5,
      lmBank: 0,
      lmBankLanguages: [],
      lmBankFitOrder: 2,
    });
  }, 600_000);

  // in this process (reliability/harness.ts: cliInProcess), through the function main.ts calls
  it('refuses bad input with one line and exit code 2', async () => {
    const empty = join(tmp, 'empty-support');
    mkdirSync(empty, { recursive: true });
    write(join(tmp, 'q.txt'), 'hello\n');
    for (const args of [
      ['eval', '-c', run, '--snippet', 'thirty'],
      ['eval', '-c', run, '--ways', '500', '--episodes', '2'],
      ['adapt', '-c', run, '--support', empty, '--query', join(tmp, 'q.txt')],
      ['train', '--task', 'language', '--lm-order', '17', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--calibration-share', '1', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--lm-floor', 'flat', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--lm-beta', '0', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--lm-bank', '1', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--lm-bank-neighbours', '0', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--lm-bank-keep', 'all', '--out', join(tmp, 'no-run')],
      ['train', '--task', 'language', '--lm-bank-fit-order', '0', '--out', join(tmp, 'no-run')],
      [
        'train',
        '--task',
        'language',
        '--method',
        'protonet',
        '--lm-order',
        '3',
        '--out',
        join(tmp, 'no-run'),
      ],
    ]) {
      const r = await cliInProcess(tmp, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  }, 600_000);
});
