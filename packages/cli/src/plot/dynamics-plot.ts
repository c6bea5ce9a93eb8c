import { basename } from 'node:path';
import { checkSameEnv, type DynamicsModel, InvalidArgumentError, VARIATION_BASE } from '@hypermeta/core';
import { type InferenceCheckpoint, loadForInference } from '../commands/load-model.js';
import { loadDynamicsData } from '../families/dynamics/dynamics-data-source.js';
import { readControlResults, returnPoints, tracePoints } from './dynamics-control-results.js';
import { recoverySpec, returnsSpec, rolloutsSpec } from './dynamics-figures.js';
import { openLoopRollouts, rolloutPoints } from './dynamics-rollouts.js';
import { withSuffix, writeFigureFile } from './figure-file.js';

export interface RolloutPlotOptions {
  /** Dynamics checkpoints or run folders (the first one's held-out variations serve all). */
  rollouts: string[];
  out: string;
  variations: number;
  horizon: number;
  /** State values drawn (default the first four at most). */
  dims?: number[];
  /** Context transitions (default each model's K). */
  context?: number;
  suiteDir?: string;
  modelXml?: string;
}

/** Labels models by method; the same method twice is told apart by its run folder's name. */
function modelLabels(runs: readonly string[], methods: readonly string[]): string[] {
  return methods.map((m, i) =>
    methods.indexOf(m) === methods.lastIndexOf(m) ? m : `${m} (${basename(runs[i])})`,
  );
}

/**
 * Predicted vs true open-loop rollouts of one or several dynamics checkpoints on the same held-out
 * variations (those of the first checkpoint's seed and settings), from a real state with the real
 * actions. Returns the files written.
 */
export async function plotRollouts(o: RolloutPlotOptions): Promise<string[]> {
  const loaded: InferenceCheckpoint[] = [];
  try {
    for (const run of o.rollouts) {
      const l = await loadForInference(run);
      loaded.push(l);
      if (l.family.name !== 'dynamics')
        throw new InvalidArgumentError(
          `--rollouts needs dynamics models; ${run} holds a ${l.family.name} model`,
        );
    }
    const models = loaded.map((l) => l.model as DynamicsModel);
    const first = models[0].config;
    const data = await loadDynamicsData(first, { suiteDir: o.suiteDir, modelXml: o.modelXml });
    try {
      for (const m of models) checkSameEnv(m.config.env, data.sim);
      // The evaluation seed `eval` uses by default: the context windows are the ones it scores.
      const seed = loaded[0].manifest.train.seed;
      const records = data.set('eval').records;
      const labels = modelLabels(
        o.rollouts,
        models.map((m) => m.config.method),
      );
      const rollouts = models.map((m, i) => ({
        label: labels[i],
        rollouts: openLoopRollouts(m, records, {
          variations: o.variations,
          horizon: o.horizon,
          context: o.context ?? m.config.context,
          seed,
          range: m.config.data.range,
        }),
      }));
      const S = rollouts[0].rollouts.stateSize;
      const dims = o.dims ?? Array.from({ length: Math.min(S, 4) }, (_, i) => i);
      const points = rolloutPoints(first.env, records, rollouts, dims, VARIATION_BASE);
      const title =
        `Open-loop rollouts on ${first.env.name}: ${o.horizon} steps from a real state with the real ` +
        `actions, after adapting to ${o.context ?? first.context} transitions`;
      await writeFigureFile(o.out, rolloutsSpec(points, title));
      return [o.out];
    } finally {
      data.sim.dispose?.();
    }
  } finally {
    for (const l of loaded) l.model.dispose();
  }
}

/**
 * From saved `hypermeta control --json` outputs: returns per planning model (FILE) and reward
 * against time around the change (FILE-recovery). Returns the files written.
 */
export async function plotControl(files: readonly string[], out: string): Promise<string[]> {
  const rows = readControlResults(files);
  const trace = tracePoints(rows);
  const episodes = [...new Set(rows.map((r) => r.episodes))].join('/');
  await writeFigureFile(
    out,
    returnsSpec(returnPoints(rows), `Return per planning model: ${trace.setting}, ${episodes} episodes`),
  );
  const recovery = withSuffix(out, '-recovery');
  await writeFigureFile(
    recovery,
    recoverySpec(
      trace.points,
      trace.labels,
      trace.changeAtSeconds,
      `Reward around the change, mean over ${episodes} episodes: ${trace.setting}`,
    ),
  );
  return [out, recovery];
}
