import load from '@mujoco/mujoco';

/** The loaded MuJoCo wasm module (DeepMind's official build, @mujoco/mujoco). */
export type MujocoModule = Awaited<ReturnType<typeof load>>;

let loading: Promise<MujocoModule> | undefined;

/** Loads the module once per process: it holds one wasm heap and its own virtual file system. */
export function mujocoModule(): Promise<MujocoModule> {
  loading ??= load();
  return loading;
}
