import { DynamicsModel, loadCheckpoint } from '@hypermeta/core';
import { fetchReader } from '../runtime.js';

const url = (path: string) => new URL(path, document.baseURI);

/** The dynamics checkpoint public/models/models.json names ("dynamics": folder), or null for none. */
export async function loadDynamicsModel(): Promise<{ model: DynamicsModel; note: string } | null> {
  const index = await fetch(url('models/models.json'));
  const folder = index.ok ? ((await index.json()) as { dynamics?: string | null }).dynamics : null;
  if (!folder) return null;
  // optimizer: false skips the optimizer moments, two thirds of a checkpoint's bytes.
  const { model, manifest } = await loadCheckpoint(fetchReader(url(folder).href), { optimizer: false });
  if (!(model instanceof DynamicsModel)) throw new Error(`${folder} holds a '${model.config.task}' model`);
  const c = model.config;
  // The page simulates the pendulum hypermeta ships: a model of another body would plan for the wrong one.
  if (c.env.name !== 'pendulum' || c.env.source !== 'shipped')
    throw new Error(
      `${folder} holds a model of ${c.env.source} '${c.env.name}', not of the shipped pendulum`,
    );
  const weights = model.store.variables.reduce((n, v) => n + v.size, 0);
  return {
    model,
    note:
      `Dynamics model: ${c.method} (${c.generator.kind} generator), ` +
      `${manifest.state.step} training steps on ${c.data.variations} variations of the ${c.env.name} ` +
      `(masses, damping, friction × 1.5^±${c.data.range}${motors(c.data)}); ` +
      `it writes every weight of a ${c.hidden.join('-')} network from the last ${c.context} transitions ` +
      `(${(weights / 1000).toFixed(0)}k weights).`,
  };
}

/** The motor failures the model was trained on, as a clause of the note ('' for none). */
function motors(d: { brokenMotor: number; weakMotor?: number }): string {
  const pct = (p: number) => `${(100 * p).toFixed(0)} %`;
  const parts = [
    ...(d.weakMotor ? [`a motor at 0–100 % strength in ${pct(d.weakMotor)}`] : []),
    ...(d.brokenMotor ? [`a broken motor in ${pct(d.brokenMotor)}`] : []),
  ];
  return parts.length ? `; ${parts.join(', ')} of them` : '';
}
