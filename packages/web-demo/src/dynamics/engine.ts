// The pendulum in MuJoCo's wasm build: the same Node-free simulator and shipped MJCF the command
// line trains and controls with (its Node-free `@hypermeta/cli/physics` entry), so the page simulates
// the very model the shipped checkpoint learned. This module is loaded on demand: the engine is a
// 10 MB download.
import { MujocoSimulator, shippedModel } from '@hypermeta/cli/physics';

/** The shipped pendulum in a fresh MuJoCo model and data (the caller disposes it). */
export async function loadPendulum(): Promise<MujocoSimulator> {
  return MujocoSimulator.load(shippedModel('pendulum')!);
}
