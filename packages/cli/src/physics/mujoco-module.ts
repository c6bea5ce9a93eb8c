type Load = typeof import('@mujoco/mujoco').default;

/** The loaded MuJoCo wasm module (DeepMind's official build, @mujoco/mujoco). */
export type MujocoModule = Awaited<ReturnType<Load>>;

let loading: Promise<MujocoModule> | undefined;

/**
 * Loads the module once per process: it holds one wasm heap and its own virtual file system. Its
 * JavaScript is imported here, not at start-up: only the dynamics commands use it.
 */
export function mujocoModule(): Promise<MujocoModule> {
  loading ??= import('@mujoco/mujoco').then((m) => m.default());
  return loading;
}
