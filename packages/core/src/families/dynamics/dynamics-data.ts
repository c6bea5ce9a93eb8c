import { InvalidArgumentError } from '../../errors/errors.js';
import { collectVariations, type VariationSet } from './collect.js';
import type { DynamicsDataConfig, DynamicsEnvSpec, DynamicsNorm } from './dynamics-config.js';
import { inputSize } from './dynamics-config.js';
import { columnStats, writeFeatures } from './features.js';
import type { OnPolicyIo } from './on-policy.js';
import type { DynamicsSimulator } from './physics.js';
import { stateSize } from './physics.js';
import { type VariationKind, variationStreams } from './variations.js';

/**
 * The transitions a dynamics model trains and is evaluated on, simulated on demand through the
 * injected simulator and kept: training data is collected when training first asks for it,
 * held-out sets when evaluation does (so `eval` never simulates the training variations).
 */
export class DynamicsData {
  private readonly sets = new Map<VariationKind, VariationSet>();
  /** On-policy rounds already appended to the training records (on-policy.ts). */
  readonly onPolicyRounds = new Set<number>();
  /** Where on-policy rounds are saved, loaded and reported; set by the caller that owns the run's storage. */
  onPolicyIo?: OnPolicyIo;

  constructor(
    readonly sim: DynamicsSimulator,
    readonly settings: DynamicsDataConfig,
  ) {}

  get info() {
    return this.sim.info;
  }

  /** The variations of one stream, simulated the first time they are asked for. */
  set(kind: VariationKind): VariationSet {
    let s = this.sets.get(kind);
    if (!s) {
      const d = this.settings;
      s = collectVariations(
        this.sim,
        {
          variations: kind === 'train' ? d.variations : d.evalVariations,
          episodes: d.episodes,
          length: d.length,
          settings: d,
          outside: kind === 'extrapolation',
        },
        variationStreams(d.seed)[kind],
      );
      this.sets.set(kind, s);
    }
    return s;
  }

  /** Unstable variations skipped so far, per set collected. */
  skipped(): Partial<Record<VariationKind, number>> {
    return Object.fromEntries([...this.sets].map(([k, s]) => [k, s.skipped]));
  }

  /** Frees the simulator's engine memory (MuJoCo's model and data); the sets collected stay. */
  dispose(): void {
    this.sim.dispose?.();
  }

  /** Normalisation statistics of the training transitions' inputs and Δs. */
  normStats(): DynamicsNorm {
    const env = this.info;
    const S = stateSize(env);
    const inN = inputSize(env);
    const records = this.set('train').records;
    const n = records.reduce((a, r) => a + r.episodes.reduce((b, e) => b + e.actions.length / env.nu, 0), 0);
    const x = new Float32Array(n * inN);
    const y = new Float32Array(n * S);
    let row = 0;
    for (const r of records)
      for (const e of r.episodes) {
        const L = e.actions.length / env.nu;
        for (let t = 0; t < L; t++, row++) {
          writeFeatures(env, e.states, t * S, e.actions, t * env.nu, x, row * inN);
          for (let i = 0; i < S; i++) y[row * S + i] = e.states[(t + 1) * S + i] - e.states[t * S + i];
        }
      }
    const a = columnStats(x, inN);
    const b = columnStats(y, S);
    return { inMean: a.mean, inStd: a.std, outMean: b.mean, outStd: b.std };
  }
}

/** The environment description a model stores, from the simulator it was trained with. */
export function envSpec(sim: DynamicsSimulator, source: string, file?: string): DynamicsEnvSpec {
  const i = sim.info;
  return {
    ...structuredClone(i),
    source,
    ...(file === undefined ? {} : { file }),
  };
}

/** Refuses data from a simulator other than the one the model was trained with (sizes differ). */
export function checkSameEnv(env: DynamicsEnvSpec, sim: DynamicsSimulator): void {
  const i = sim.info;
  const same =
    i.nq === env.nq &&
    i.nv === env.nv &&
    i.nu === env.nu &&
    JSON.stringify(i.droppedQpos) === JSON.stringify(env.droppedQpos) &&
    JSON.stringify(i.angleIndices) === JSON.stringify(env.angleIndices) &&
    JSON.stringify(i.counts) === JSON.stringify(env.counts);
  if (!same)
    throw new InvalidArgumentError(
      `the model was trained on ${env.name} (nq ${env.nq}, nv ${env.nv}, nu ${env.nu}); ` +
        `the simulator given is ${i.name} (nq ${i.nq}, nv ${i.nv}, nu ${i.nu}) or differs in its parts`,
    );
}
