import { readFileSync } from 'node:fs';
import { defaultModelConfig, defaultTrainConfig, InvalidArgumentError, type ModelConfig, type TrainConfig, validateModelConfig, validateTrainConfig } from '@hypermeta/core';
import type { ConditioningKind } from '@hypermeta/core';

export interface TrainFlags {
  task: string;
  method: string;
  conditioning?: ConditioningKind;
  generator?: 'mlp' | 'chunked';
  innerSteps?: number;
  innerTarget?: 'params' | 'code';
  innerOrder?: number;
  innerLr?: number;
  learnInnerLr?: boolean;
  steps?: number;
  metaBatch?: number;
  shots?: [number, number];
  queries?: number;
  lr?: number;
  seed?: number;
  config?: string;
}

type Json = Record<string, unknown>;

function readConfigFile(path: string): { model: Json; train: Json } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InvalidArgumentError(`${path}: cannot read a JSON config (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(`${path}: the config must be a JSON object`);
  const extra = Object.keys(value).filter((k) => k !== 'model' && k !== 'train');
  if (extra.length) throw new InvalidArgumentError(`${path}: unknown key '${extra[0]}' (expected "model" and/or "train")`);
  const v = value as { model?: Json; train?: Json };
  return { model: v.model ?? {}, train: v.train ?? {} };
}

/** Copies known keys of `over` onto `base`, one level of nesting deep; unknown keys are errors. */
function merge<T extends object>(base: T, over: Json, where: string): T {
  const out = { ...base } as Json;
  for (const [k, v] of Object.entries(over)) {
    if (!(k in out)) throw new InvalidArgumentError(`${where}: unknown key '${k}'`);
    const cur = out[k];
    out[k] = cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v) ? merge(cur as Json, v as Json, `${where}.${k}`) : v;
  }
  return out as T;
}

/** Defaults, then the --config file, then flags; validated. */
export function buildRunConfig(f: TrainFlags): { model: ModelConfig; train: TrainConfig } {
  if (f.task !== 'sinusoid') throw new InvalidArgumentError(`--task ${f.task} is not available yet (available: sinusoid)`);
  if (f.method !== 'hypernet') throw new InvalidArgumentError(`--method ${f.method} is not available for sinusoid (available: hypernet)`);
  const file = f.config ? readConfigFile(f.config) : { model: {}, train: {} };
  const conditioning = f.conditioning ?? (file.model.conditioning as ConditioningKind | undefined) ?? 'encoder';
  const model = merge(defaultModelConfig(conditioning), file.model, 'config model');
  const train = merge(defaultTrainConfig(), file.train, 'config train');
  model.conditioning = conditioning;
  if (f.generator) model.generator.kind = f.generator;
  if (f.innerSteps !== undefined) model.inner.steps = f.innerSteps;
  if (f.innerTarget) model.inner.target = f.innerTarget;
  if (f.innerOrder !== undefined) model.inner.order = f.innerOrder as 1 | 2;
  if (f.innerLr !== undefined) model.inner.lr = f.innerLr;
  if (f.learnInnerLr !== undefined) model.inner.learnLr = f.learnInnerLr;
  if (f.steps !== undefined) train.steps = f.steps;
  if (f.metaBatch !== undefined) train.metaBatch = f.metaBatch;
  if (f.shots) [train.shotsMin, train.shotsMax] = f.shots;
  if (f.queries !== undefined) train.queries = f.queries;
  if (f.lr !== undefined) train.lr = f.lr;
  if (f.seed !== undefined) train.seed = f.seed;
  return { model: validateModelConfig(model), train: validateTrainConfig(train) };
}
