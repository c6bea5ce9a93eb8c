import {
  InvalidArgumentError,
  type ModelConfigBase,
  type TaskFamily,
  type TrainConfig,
  validateTrainConfig,
} from '@hypermeta/core';
import type { CliFamily, Flags } from './families/cli-family.js';
import { readTextBounded } from './io/input-limits.js';

type Json = Record<string, unknown>;

function readConfigFile(path: string): { model: Json; train: Json } {
  let value: unknown;
  try {
    value = JSON.parse(readTextBounded(path));
  } catch (e) {
    throw new InvalidArgumentError(
      `${path}: cannot read a JSON config (${(e as Error).message.split('\n')[0]})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidArgumentError(`${path}: the config must be a JSON object`);
  const extra = Object.keys(value).filter((k) => k !== 'model' && k !== 'train');
  if (extra.length)
    throw new InvalidArgumentError(`${path}: unknown key '${extra[0]}' (expected "model" and/or "train")`);
  const v = value as { model?: Json; train?: Json };
  return { model: v.model ?? {}, train: v.train ?? {} };
}

/** Copies known keys of `over` onto `base`, one level of nesting deep; unknown keys are errors. */
function merge<T extends object>(base: T, over: Json, where: string): T {
  const out = { ...base } as Json;
  for (const [k, v] of Object.entries(over)) {
    if (!Object.hasOwn(out, k)) throw new InvalidArgumentError(`${where}: unknown key '${k}'`);
    const cur = out[k];
    out[k] =
      cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)
        ? merge(cur as Json, v as Json, `${where}.${k}`)
        : v;
  }
  return out as T;
}

/** The flags every family's training takes: they set the train config. */
function applyTrainFlags(train: TrainConfig, f: Flags): void {
  if (f.steps !== undefined) train.steps = f.steps as number;
  if (f.metaBatch !== undefined) train.metaBatch = f.metaBatch as number;
  if (f.shots) [train.shotsMin, train.shotsMax] = f.shots as [number, number];
  if (f.queries !== undefined) train.queries = f.queries as number;
  if (f.lr !== undefined) train.lr = f.lr as number;
  if (f.seed !== undefined) train.seed = f.seed as number;
}

/**
 * A new run's configs: the family's defaults for the method, then the --config file, then flags.
 * The train config is validated here; the model config when the model is built (after the
 * family has fitted it to its data), so each is checked once.
 */
export function buildRunConfig(
  family: TaskFamily,
  cli: CliFamily,
  f: Flags,
): { model: ModelConfigBase; train: TrainConfig } {
  const method = (f.method as string | undefined) ?? family.methods[0];
  if (!family.methods.includes(method)) {
    throw new InvalidArgumentError(
      `--method ${method} is not available for ${family.name} (available: ${family.methods.join(', ')})`,
    );
  }
  const file = f.config ? readConfigFile(f.config as string) : { model: {}, train: {} };
  if (file.model.task !== undefined && file.model.task !== family.name)
    throw new InvalidArgumentError(
      `${f.config}: its model is for task '${String(file.model.task)}', not ${family.name}`,
    );
  if (file.model.method !== undefined && file.model.method !== method)
    throw new InvalidArgumentError(
      `${f.config}: its model is for method '${String(file.model.method)}'; pass --method ${String(file.model.method)}`,
    );
  const base = cli.baseModelConfig?.(method, f, file.model) ?? family.defaultModelConfig(method);
  const model = merge(base, file.model, `${f.config ?? 'config'} model`);
  cli.applyModelFlags(model, f);
  const train = merge(family.defaultTrainConfig(method), file.train, `${f.config ?? 'config'} train`);
  applyTrainFlags(train, f);
  return { model, train: validateTrainConfig(train) };
}
