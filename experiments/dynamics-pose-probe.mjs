// Where a cheetah-run episode's speed goes: runs held-out control episodes (the same ones as
// `hypermeta control` for the seed) and prints, every 0.5 s, the forward speed and the torso's
// pitch (rooty; |pitch| > π/2 is a body on its back), per episode.
// Usage: node experiments/dynamics-pose-probe.mjs RUN SUITE_DIR [episodes=3] [steps=600]
import {
  CemPlanner,
  changedVariation,
  defaultCemOptions,
  dynamicsControlTask,
  Rng,
  runControlEpisode,
} from '@hypermeta/core';
import '../packages/cli/dist/families/index.js';
import { selectBackend } from '../packages/cli/dist/backend-select.js';
import { loadForInference } from '../packages/cli/dist/commands/load-model.js';
import { controlEpisodes } from '../packages/cli/dist/families/dynamics/control-run.js';
import { loadDynamicsData } from '../packages/cli/dist/families/dynamics/dynamics-data-source.js';

const [run, suiteDir, episodesArg = '3', stepsArg = '600'] = process.argv.slice(2);
await selectBackend('wasm');
const { model } = await loadForInference(run);
const c = model.config;
const task = dynamicsControlTask(c.env, undefined);
const steps = Number(stepsArg);
const seed = c.data.seed;
const change = task.change;
const data = await loadDynamicsData(c, { suiteDir });
const world = data.sim;
const o = {
  task,
  episodes: Number(episodesArg),
  steps,
  change,
  seed,
  cem: defaultCemOptions(c.env.ctrlRange),
};
const episodes = controlEpisodes(world, c.data, o, (v) => changedVariation(v, change));
const S = c.env.nq - c.env.droppedQpos.length + c.env.nv;
// State layout: qpos without root x (rootz, rooty, six joints), then qvel (root x velocity first).
const pitchAt = 1;
const speedAt = c.env.nq - c.env.droppedQpos.length;
const every = Math.round(0.5 / c.env.dt);
episodes.forEach((e, i) => {
  const r = runControlEpisode(
    world,
    { task, ...e, steps, change, changeAt: Math.floor(steps / 2) },
    new CemPlanner(o.cem, Rng.fromSeed(seed, `control-planner-${i}`)),
    { kind: 'learned', model, context: c.context, adaptEvery: 1, range: c.data.range },
  );
  const cells = [];
  for (let t = 0; t < steps; t += every) {
    let speed = 0;
    for (let k = t; k < t + every; k++) speed += r.states[(k + 1) * S + speedAt] / every;
    cells.push(
      `${(t * c.env.dt).toFixed(1)}s v${speed.toFixed(2)} p${r.states[(t + every) * S + pitchAt].toFixed(2)}`,
    );
  }
  console.log(`episode ${i}: return ${r.return.toFixed(1)} | ${cells.join(' | ')}`);
});
