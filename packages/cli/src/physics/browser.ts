// The Node-free part of the command line's physics, as the `@hypermeta/cli/physics` entry: the web
// demo simulates the shipped models with the very code that trains and controls with them.
export { MujocoSimulator } from './mujoco-simulator.js';
export { type ModelSource, shippedModel } from './model-files.js';
