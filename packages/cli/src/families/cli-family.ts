import type { Option } from 'commander';
import type { CheckpointManifest, EvalSummary, ModelConfigBase, SavedModel, TrainConfig } from '@hypermeta/core';

/** Parsed flags of one command, by commander attribute name. */
export type Flags = Record<string, unknown>;

/** A command's family-specific flags: commander options with no default (the family's defaults apply). */
export interface FamilyFlags {
  train?: () => Option[];
  eval?: () => Option[];
  adapt?: () => Option[];
}

/** What `adapt` was given: support examples, queries, and where the predictions go. */
export interface AdaptRequest {
  support: string;
  query?: string;
  out?: string;
  seed: number;
  flags: Flags;
}

/**
 * The CLI side of a task family: its flags, file I/O (data loading, adapt's input and output),
 * text output and figures. Core's TaskFamily of the same name does the computing; the commands
 * (train, eval, adapt, plot) find both through the registries and know no family by name.
 */
export interface CliFamily<D = unknown> {
  readonly name: string;
  readonly flags: FamilyFlags;
  /** Defaults the model config starts from (before --config and flags); core's defaults when absent. */
  baseModelConfig?(method: string, flags: Flags, fileModel: Record<string, unknown>): ModelConfigBase;
  /** Applies this family's train flags to the model config. */
  applyModelFlags(model: ModelConfigBase, flags: Flags): void;
  /** Loads the data training or evaluation draws tasks from (undefined for synthetic families). */
  loadData(model: ModelConfigBase, flags: Flags): Promise<D>;
  /** Fills data-dependent fields and checks the run against the data, before the model is built. */
  fitToData?(model: ModelConfigBase, train: TrainConfig, data: D): void;
  /** One line for the training log, e.g. "encoder/mlp hypernet on sinusoid". */
  describe(model: SavedModel, data: D): string;
  /** The family's evaluation options from eval's flags (the seed already chosen). */
  evalOptions(model: SavedModel, flags: Flags, seed: number): unknown;
  /** Evaluation on the user's own files, when the flags ask for it (e.g. --episodes-dir). */
  evalOwnData?(model: SavedModel, flags: Flags): Promise<EvalSummary | undefined>;
  /** Fields the JSON result adds from the data (e.g. the held-out alphabets). */
  evalFields?(data: D): Record<string, unknown>;
  /** The human line of an evaluation. */
  formatEval(summary: EvalSummary, flags: Flags, run: { backend: string; method: string }): string;
  /** `adapt`: reads the support set and queries, writes predictions. */
  adapt(model: SavedModel, request: AdaptRequest): Promise<void>;
  /** `plot`: the family's own figures of a checkpoint (beside the learning curves); returns the files written. */
  plotFigures?(model: SavedModel, manifest: CheckpointManifest, checkpointDir: string, o: { out: string; tasks: number; shots: number }): Promise<string[]>;
}
