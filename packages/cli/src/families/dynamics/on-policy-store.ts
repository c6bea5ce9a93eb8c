import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataError,
  type DynamicsData,
  dynamicsStateSize,
  type OnPolicyEpisode,
  type OnPolicyIo,
  type OnPolicyRound,
} from '@hypermeta/core';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { fsProblem, isFsError } from '../../io/fs-problem.js';

/** The folder of a run that holds its on-policy rounds. */
export const ON_POLICY_DIR = 'on-policy';
const INDEX = 'index.json';
const FORMAT = 'hypermeta-on-policy';
const VERSION = 1;
/** Round files are named by round and content hash, so a new one never overwrites the one the index names. */
const ROUND_FILE = /^round-\d+-[0-9a-f]{16}\.bin$/;

interface EpisodeEntry {
  record: number;
  /** Control steps: the file holds steps + 1 states then steps actions, Float32. */
  steps: number;
}

interface RoundEntry {
  round: number;
  step: number;
  file: string;
  bytes: number;
  sha256: string;
  stateSize: number;
  nu: number;
  dropped: number;
  meanReturn: number;
  seconds: number;
  episodes: EpisodeEntry[];
}

interface Index {
  format: string;
  version: number;
  rounds: RoundEntry[];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * A run's on-policy rounds on disk: RUN/on-policy/round-N-HASH.bin (each episode's states then
 * actions, Float32) and index.json naming each round's file, size and SHA-256. A round is written
 * atomically, its file first and the index last (temp file + rename), so a kill leaves the
 * previous index and the files it names intact; files no index names are removed afterwards.
 */
export class OnPolicyStore {
  readonly dir: string;

  constructor(runDir: string) {
    this.dir = join(runDir, ON_POLICY_DIR);
  }

  private readIndex(): Index | undefined {
    const path = join(this.dir, INDEX);
    if (!existsSync(path)) return undefined;
    let index: Index;
    try {
      index = JSON.parse(readFileSync(path, 'utf8')) as Index;
    } catch (e) {
      throw new DataError(
        `${path}: cannot read the on-policy index: ${isFsError(e) ? fsProblem(e) : 'not JSON'}`,
      );
    }
    if (index?.format !== FORMAT || index.version !== VERSION || !Array.isArray(index.rounds))
      throw new DataError(`${path}: not a ${FORMAT} index of version ${VERSION}`);
    return index;
  }

  /** The round saved for `round`, or undefined when the index lists none; DataError when it is damaged. */
  load(round: number, stateSize: number, nu: number): OnPolicyRound | undefined {
    const entry = this.readIndex()?.rounds.find((r) => r.round === round);
    if (!entry) return undefined;
    const path = join(this.dir, String(entry.file));
    const damaged = (why: string) =>
      new DataError(
        `${path}: on-policy round ${round} cannot be used (${why}); the run cannot resume exactly`,
      );
    if (!ROUND_FILE.test(String(entry.file))) throw damaged('the index names no round file');
    if (entry.stateSize !== stateSize || entry.nu !== nu)
      throw damaged(`it holds states of ${entry.stateSize} and actions of ${entry.nu} values`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw damaged(fsProblem(e));
    }
    if (bytes.byteLength !== entry.bytes || sha256(bytes) !== entry.sha256)
      throw damaged('its size or checksum differs from the index');
    const values = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    const episodes: OnPolicyEpisode[] = [];
    let at = 0;
    for (const e of entry.episodes) {
      const S = (e.steps + 1) * stateSize;
      const A = e.steps * nu;
      if (!Number.isInteger(e.steps) || e.steps < 1 || at + S + A > values.length)
        throw damaged('its episodes do not fit the file');
      episodes.push({
        record: e.record,
        states: values.slice(at, at + S),
        actions: values.slice(at + S, at + S + A),
      });
      at += S + A;
    }
    if (at !== values.length) throw damaged('its episodes do not fit the file');
    const { step, dropped, meanReturn, seconds } = entry;
    return { round, step, episodes, dropped, meanReturn, seconds };
  }

  /**
   * Saves a round just collected. Rounds after it in the index came from a trajectory the run
   * has left (it rolled back to before them) and are dropped with it.
   */
  save(r: OnPolicyRound, stateSize: number, nu: number): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const total = r.episodes.reduce((a, e) => a + e.states.length + e.actions.length, 0);
      const values = new Float32Array(total);
      let at = 0;
      for (const e of r.episodes) {
        values.set(e.states, at);
        values.set(e.actions, at + e.states.length);
        at += e.states.length + e.actions.length;
      }
      const bytes = new Uint8Array(values.buffer);
      const hash = sha256(bytes);
      const file = `round-${r.round}-${hash.slice(0, 16)}.bin`;
      writeFileAtomic(join(this.dir, file), bytes);
      const entry: RoundEntry = {
        round: r.round,
        step: r.step,
        file,
        bytes: bytes.byteLength,
        sha256: hash,
        stateSize,
        nu,
        dropped: r.dropped,
        meanReturn: r.meanReturn,
        seconds: r.seconds,
        episodes: r.episodes.map((e) => ({ record: e.record, steps: e.actions.length / nu })),
      };
      const kept = (this.readIndex()?.rounds ?? []).filter((x) => x.round < r.round);
      const index: Index = { format: FORMAT, version: VERSION, rounds: [...kept, entry] };
      writeFileAtomic(join(this.dir, INDEX), `${JSON.stringify(index, null, 1)}\n`);
      const named = new Set(index.rounds.map((x) => x.file));
      for (const f of readdirSync(this.dir))
        if (ROUND_FILE.test(f) && !named.has(f)) rmSync(join(this.dir, f), { force: true });
    } catch (e) {
      if (!isFsError(e)) throw e;
      throw new DataError(`${this.dir}: cannot save on-policy round ${r.round}: ${fsProblem(e)}`);
    }
  }
}

/** A round's line in the training log. */
export function onPolicyLine(r: OnPolicyRound, rounds: number, loaded: boolean): string {
  const what = loaded ? `loaded (collected before step ${r.step})` : `before step ${r.step}`;
  const dropped = r.dropped ? `, ${r.dropped} unstable dropped` : '';
  const took = loaded ? '' : `, ${r.seconds.toFixed(1)} s`;
  return (
    `on-policy round ${r.round}/${rounds} ${what}: ${r.episodes.length} episodes${dropped}, ` +
    `mean return ${r.meanReturn.toFixed(2)}${took}`
  );
}

/** What a training hands core's data: rounds saved in and loaded from `runDir`, one log line each. */
export function onPolicyRunIo(runDir: string, data: DynamicsData, rounds: number): OnPolicyIo {
  const store = new OnPolicyStore(runDir);
  const S = dynamicsStateSize(data.info);
  const nu = data.info.nu;
  return {
    load: (round) => store.load(round, S, nu),
    save: (r) => store.save(r, S, nu),
    report: (r, loaded) => process.stderr.write(`${onPolicyLine(r, rounds, loaded)}\n`),
  };
}
