import {
  DynamicsData,
  type DynamicsConfig,
  type DynamicsDataConfig,
  InvalidArgumentError,
} from '@hypermeta/core';
import type { Flags } from '../cli-family.js';
import { chooseModel, type ModelSource } from '../../physics/model-source.js';
import { MujocoSimulator } from '../../physics/mujoco-simulator.js';
import { onPolicyRunIo } from './on-policy-store.js';

/** Core's dynamics data, simulated by MuJoCo, with the model file it came from. */
export class MujocoDynamicsData extends DynamicsData {
  constructor(
    sim: MujocoSimulator,
    settings: DynamicsDataConfig,
    readonly source: ModelSource,
  ) {
    super(sim, settings);
  }
}

/**
 * The model a run simulates. A new run takes it from the flags; a trained model from its config
 * (the shipped model by name, or the file it was trained on), unless --suite-dir or --model-xml
 * points to where that file is now.
 */
function sourceFor(c: DynamicsConfig, f: Flags): ModelSource {
  const suiteDir = f.suiteDir as string | undefined;
  const modelXml = f.modelXml as string | undefined;
  if (c.env.name === '') return chooseModel({ env: f.env as string | undefined, modelXml, suiteDir });
  const env = c.env;
  if (env.source === 'shipped') return chooseModel({ env: env.name });
  if (env.source === 'suite' && suiteDir) return chooseModel({ env: env.name, suiteDir });
  const file = modelXml ?? env.file;
  if (!file)
    throw new InvalidArgumentError(`the model's environment ${env.name} names no file: pass --model-xml`);
  return chooseModel({ modelXml: file });
}

export async function loadDynamicsData(c: DynamicsConfig, f: Flags): Promise<MujocoDynamicsData> {
  const source = sourceFor(c, f);
  const sim = await MujocoSimulator.load(source);
  const data = new MujocoDynamicsData(sim, c.data, source);
  // A training names its run folder (train-job.ts): on-policy rounds are saved there when
  // collected and loaded again by a resumed run, whose model could not collect them the same.
  const runDir = f.runDir as string | undefined;
  if (runDir !== undefined && c.data.onPolicy)
    data.onPolicyIo = onPolicyRunIo(runDir, data, c.data.onPolicy.rounds);
  return data;
}
