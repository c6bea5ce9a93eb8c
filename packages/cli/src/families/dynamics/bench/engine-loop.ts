import { dirname, join } from 'node:path';
import type { ModelSource } from '../../../physics/model-source.js';
import { type MujocoModule, mujocoModule } from '../../../physics/mujoco-module.js';

type MjModel = InstanceType<MujocoModule['MjModel']>;
type MjData = InstanceType<MujocoModule['MjData']>;

let folders = 0;

/**
 * The bare engine on a model of its own: (ctrl ← action; mj_step) from a reset, nothing else.
 * It shows what the wasm build itself costs, apart from what the product's simulator does around
 * each step (reading the state back, varying the model), and is what Python's loop is held to.
 */
export class EngineLoop {
  private constructor(
    private readonly mj: MujocoModule,
    private readonly m: MjModel,
    private readonly d: MjData,
  ) {}

  static async load(src: ModelSource): Promise<EngineLoop> {
    const mj = await mujocoModule();
    // A folder apart from the simulator's, in the module's in-memory file system.
    const root = `/hypermeta-bench-${++folders}`;
    const made = new Set<string>(['/']);
    const mkdirs = (dir: string) => {
      if (made.has(dir)) return;
      mkdirs(dirname(dir));
      mj.FS.mkdir(dir);
      made.add(dir);
    };
    for (const [rel, bytes] of src.files) {
      mkdirs(dirname(join(root, rel)));
      mj.FS.writeFile(join(root, rel), bytes);
    }
    const m = mj.MjModel.from_xml_path(join(root, src.main));
    return new EngineLoop(mj, m, new mj.MjData(m));
  }

  get nu(): number {
    return this.m.nu;
  }

  /** `steps` steps cycling through `actions` (rows of nu); wall ms and the final qpos and qvel. */
  run(actions: Float32Array, steps: number): { ms: number; qpos: number[]; qvel: number[] } {
    const { mj, m, d } = this;
    const nu = m.nu;
    const rows = actions.length / nu;
    mj.mj_resetData(m, d);
    const t0 = performance.now();
    for (let t = 0; t < steps; t++) {
      // The view is taken anew each step: the product's simulator must (heap growth detaches views).
      const ctrl = d.ctrl as Float64Array;
      const at = (t % rows) * nu;
      for (let j = 0; j < nu; j++) ctrl[j] = actions[at + j];
      mj.mj_step(m, d);
    }
    const ms = performance.now() - t0;
    return { ms, qpos: Array.from(d.qpos as Float64Array), qvel: Array.from(d.qvel as Float64Array) };
  }

  dispose(): void {
    this.d.delete();
    this.m.delete();
  }
}
