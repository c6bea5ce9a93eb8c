import type { Option } from 'commander';
import type {
  CheckpointManifest,
  EvalSummary,
  ModelConfigBase,
  NetworkSpec,
  SavedModel,
  TrainConfig,
} from '@hypermeta/core';
import type { Target } from '../bench/report.js';
import type { BenchReport } from '../bench/run-bench.js';

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
  /** `--export`: also return the adapted network, as plain layers (core's NetworkSpec). */
  exportNetwork?: boolean;
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
  /** Whether eval takes `--shots variable` (Meta-Dataset's class-imbalanced support sets). */
  readonly variableShots?: boolean;
  /**
   * Readies a loaded model for eval, before any data is read (the language family attaches its
   * bank of training languages, kept on disk). `adapt` readies its model itself, once its
   * inputs are checked.
   */
  prepareModel?(model: SavedModel): Promise<void>;
  /** Evaluation on the user's own files or a named source (--episodes-dir, --domain); `seed`: eval's. */
  evalOwnData?(model: SavedModel, flags: Flags, seed?: number): Promise<EvalSummary | undefined>;
  /** Fields the JSON result adds from the data (e.g. the held-out alphabets). */
  evalFields?(data: D): Record<string, unknown>;
  /** The human line of an evaluation. */
  formatEval(summary: EvalSummary, flags: Flags, run: { backend: string; method: string }): string;
  /** `adapt`: reads the support set and queries, writes predictions; the adapted network when asked for. */
  adapt(model: SavedModel, request: AdaptRequest): Promise<NetworkSpec | void>;
  /** `plot`: the family's own figures of a checkpoint (beside the learning curves); returns the files written. */
  plotFigures?(
    model: SavedModel,
    manifest: CheckpointManifest,
    checkpointDir: string,
    o: { out: string; tasks: number; shots: number },
  ): Promise<string[]>;
  /** `bench`: the family's sections of the benchmark; a family without one is not benchmarked. */
  bench?: FamilyBench;
}

/** Every flag `bench` was given (the generic ones and each family's own), by commander attribute name. */
export interface BenchOptions extends Flags {
  /** The backend the sections other than c run on (already active). */
  backend: string;
  seed: number;
}

/**
 * A family's part of `hypermeta bench`. The report is one flat object: each family adds its own
 * fields (e.g. `adaptation`, `compute`) and reads them back to format its sections and check its
 * targets. Sections are named by letter; c, the backends side by side, is generic and takes each
 * family's `backends` figures. Sections run in this order: every family's `run`, then c, then
 * every family's `runLast`.
 */
export interface FamilyBench {
  /** The sections it adds, for --task's help, e.g. 'a, b, c, e'. */
  readonly summary: string;
  /** Its own bench flags (with defaults: they size the measurement). */
  flags?(): Option[];
  /** --checkpoint: a trained model of this family to measure instead of one the bench trains. */
  checkpoint?: {
    /** What it is used for, for --checkpoint's help. */
    readonly help: string;
    /** Throws InvalidArgumentError when this model is not one the bench can measure. */
    check(model: SavedModel): void;
  };
  /** Its sections before c, on the active backend; `model` is the --checkpoint's, if it is this family's (`run` disposes it). Returns report fields. */
  run(o: BenchOptions, log: (line: string) => void, model?: SavedModel): Promise<Record<string, unknown>>;
  /** Its sections after c (e.g. memory, which then sees what the others left); returns report fields. */
  runLast?(o: BenchOptions, log: (line: string) => void): Promise<Record<string, unknown>>;
  /** Section c: the figures it measures on every backend. */
  backends?: BackendFigures;
  /** The text of each of its sections, by letter, from the report (only fields it added are read). */
  format(r: BenchReport): Record<string, string>;
  /** Its targets checked against the report, by section letter. */
  targets(r: BenchReport): Record<string, Target[]>;
}

/** A family's columns of section c: each figure on every backend, and relative to cpu. */
export interface BackendFigures {
  /** Report fields describing the configuration run on each backend (e.g. { compareMetaBatch: 16 }). */
  config(o: BenchOptions): Record<string, unknown>;
  /** The figures on the active backend, named `backend`, by backend-row field (e.g. { sinusoidTasksPerS: 5086 }). */
  measure(o: BenchOptions, backend: string): Record<string, number>;
  columns: BackendColumn[];
}

export interface BackendColumn {
  /** Field of the backend row, e.g. 'conv4StepMs'. */
  key: string;
  /** Field of its ratio to cpu, e.g. 'conv4VsCpu': value / cpu's when more is better, cpu's / value when less is. */
  vsCpuKey: string;
  higherIsBetter: boolean;
  /** Column head in the text report, e.g. 'conv4 step ms (10 images)'. */
  title(r: BenchReport): string;
  /** Decimals shown. */
  digits: number;
}
