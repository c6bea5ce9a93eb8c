import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, type OnPolicyRound } from '@hypermeta/core';
import { onPolicyLine, OnPolicyStore } from './on-policy-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-on-policy-store-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A round of episodes of `steps` steps (state size 2, one actuator) with values from `at`. */
function round(r: number, steps: number[], at = r): OnPolicyRound {
  const values = (n: number, from: number) => Float32Array.from({ length: n }, (_, i) => from + i / 7);
  return {
    round: r,
    step: 10 * r,
    episodes: steps.map((L, i) => ({
      record: i + 3,
      states: values(2 * (L + 1), at + i),
      actions: values(L, -at - i),
    })),
    dropped: 1,
    meanReturn: 2.5,
    seconds: 0.25,
  };
}

describe('on-policy rounds in a run folder', () => {
  it('loads what it saved, exactly, and nothing for a round never saved', () => {
    const store = new OnPolicyStore(join(tmp, 'a'));
    expect(store.load(1, 2, 1)).toBeUndefined();
    const r = round(1, [5, 3]);
    store.save(r, 2, 1);
    expect(store.load(1, 2, 1)).toEqual(r);
    expect(store.load(2, 2, 1)).toBeUndefined();
  });

  it('drops later rounds when an earlier one is saved again (a run rolled back before them)', () => {
    const run = join(tmp, 'b');
    const store = new OnPolicyStore(run);
    store.save(round(1, [4]), 2, 1);
    store.save(round(2, [4]), 2, 1);
    const again = round(1, [4], 9);
    store.save(again, 2, 1);
    expect(store.load(1, 2, 1)).toEqual(again);
    expect(store.load(2, 2, 1)).toBeUndefined();
    // Only the file the index names is left, and no temporary file.
    expect(readdirSync(join(run, 'on-policy')).sort()).toEqual([
      'index.json',
      JSON.parse(readFileSync(join(run, 'on-policy/index.json'), 'utf8')).rounds[0].file,
    ]);
  });

  it('refuses a damaged file, another layout or a broken index with a DataError', () => {
    const run = join(tmp, 'c');
    const store = new OnPolicyStore(run);
    store.save(round(1, [4]), 2, 1);
    expect(() => store.load(1, 3, 1)).toThrow(/states of 2 and actions of 1 values/);
    const file = readdirSync(join(run, 'on-policy')).find((f) => f.endsWith('.bin'))!;
    const bytes = readFileSync(join(run, 'on-policy', file));
    bytes[0] ^= 1;
    writeFileSync(join(run, 'on-policy', file), bytes);
    expect(() => store.load(1, 2, 1)).toThrow(/checksum/);
    rmSync(join(run, 'on-policy', file));
    expect(() => store.load(1, 2, 1)).toThrow(DataError);
    writeFileSync(join(run, 'on-policy/index.json'), '{"format": "other"}');
    expect(() => store.load(1, 2, 1)).toThrow(/not a hypermeta-on-policy index/);
  });

  it('says what a round did in one line', () => {
    expect(onPolicyLine(round(1, [4, 4]), 2, false)).toBe(
      'on-policy round 1/2 before step 10: 2 episodes, 1 unstable dropped, mean return 2.50, 0.3 s',
    );
    expect(onPolicyLine(round(2, [4]), 2, true)).toBe(
      'on-policy round 2/2 loaded (collected before step 20): 1 episodes, 1 unstable dropped, mean return 2.50',
    );
  });
});
