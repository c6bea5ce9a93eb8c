import {
  DataError,
  type DynamicsEnvInfo,
  type RolloutResult,
  type SteppableSimulator,
  type SimStepResult,
  type Variation,
  VARIATION_BASE,
} from '@hypermeta/core';
import { type ModelSource, virtualDir, virtualPath } from './model-files.js';
import { type MujocoModule, mujocoModule } from './mujoco-module.js';

type MjModel = InstanceType<MujocoModule['MjModel']>;
type MjData = InstanceType<MujocoModule['MjData']>;

const JOINT = { free: 0, ball: 1, slide: 2, hinge: 3 } as const;

let folders = 0;

/** Writes the model's files into MuJoCo's virtual file system, in a folder of their own. */
function writeFiles(mj: MujocoModule, src: ModelSource): string {
  const root = `/hypermeta-${++folders}`;
  const made = new Set<string>();
  const mkdirs = (dir: string) => {
    if (dir === '/' || made.has(dir)) return;
    mkdirs(virtualDir(dir));
    mj.FS.mkdir(dir);
    made.add(dir);
  };
  mkdirs(root);
  for (const [rel, bytes] of src.files) {
    const path = virtualPath(root, rel);
    mkdirs(virtualDir(path));
    mj.FS.writeFile(path, bytes);
  }
  return virtualPath(root, src.main);
}

/** The state layout and variation groups MuJoCo's model arrays describe. */
function describe(m: MjModel, name: string): DynamicsEnvInfo {
  const type = Array.from(m.jnt_type as Int32Array);
  const body = Array.from(m.jnt_bodyid as Int32Array);
  const qadr = Array.from(m.jnt_qposadr as Int32Array);
  const range = m.jnt_range as Float64Array;
  const axis = m.jnt_axis as Float64Array;
  const parent = m.body_parentid as Int32Array;
  // A floating root (a free joint, or several joints of a body hung from the world, as the
  // planar walkers have) moves through the world: its x position is dropped from the state,
  // and its angles are not spun at the start.
  const floating = new Set<number>();
  type.forEach((t, j) => {
    const b = body[j];
    if (parent[b] !== 0) return;
    if (t === JOINT.free || body.filter((x) => x === b).length > 1) floating.add(b);
  });
  const dropped: number[] = [];
  const hinges: { qpos: number; spin: boolean }[] = [];
  type.forEach((t, j) => {
    const onRoot = floating.has(body[j]);
    if (onRoot && t === JOINT.free) dropped.push(qadr[j]);
    if (onRoot && t === JOINT.slide && Math.abs(axis[3 * j] - 1) < 1e-9) dropped.push(qadr[j]);
    if (t === JOINT.hinge && range[2 * j] === 0 && range[2 * j + 1] === 0)
      hinges.push({ qpos: qadr[j], spin: !onRoot });
  });
  const stateIndex = (q: number) => q - dropped.filter((d) => d < q).length;
  return {
    name,
    nq: m.nq,
    nv: m.nv,
    nu: m.nu,
    droppedQpos: dropped.sort((a, b) => a - b),
    angleIndices: hinges.map((h) => stateIndex(h.qpos)),
    spinQpos: hinges.filter((h) => h.spin).map((h) => h.qpos),
    ctrlRange: ctrlRange(m),
    dt: m.opt.timestep,
    counts: { bodies: m.nbody - 1, dofs: m.nv, geoms: m.ngeom, actuators: m.nu },
  };
}

/** Each actuator's control range; an unlimited one ([0, 0] in MuJoCo) is taken as [−1, 1]. */
function ctrlRange(m: MjModel): number[] {
  const r = Array.from(m.actuator_ctrlrange as Float64Array);
  for (let i = 0; i < r.length; i += 2) if (r[i] === 0 && r[i + 1] === 0) [r[i], r[i + 1]] = [-1, 1];
  return r;
}

/**
 * A MuJoCo model whose masses, inertias, damping, friction and motor gears are set per rollout.
 * One MjModel and one MjData serve every variation in turn: the wasm engine runs on one thread,
 * so a copy per variation would cost memory (an MjData of the cheetah is ≈ 14 MB) and no time.
 */
export class MujocoSimulator implements SteppableSimulator {
  readonly info: DynamicsEnvInfo;
  private readonly nominal: Record<'mass' | 'inertia' | 'damping' | 'friction' | 'gear', Float64Array>;
  private readonly badWarnings: number[];
  /** The state's qpos indices (the kept ones), for stepwise control. */
  private readonly kept: number[];
  /** Data views kept for stepwise control (see `views`). */
  private live?: { qpos: Float64Array; qvel: Float64Array; ctrl: Float64Array };

  private constructor(
    private readonly mj: MujocoModule,
    private readonly m: MjModel,
    private readonly d: MjData,
    name: string,
  ) {
    this.info = describe(m, name);
    const copy = (a: unknown) => Float64Array.from(a as Float64Array);
    this.nominal = {
      mass: copy(m.body_mass),
      inertia: copy(m.body_inertia),
      damping: copy(m.dof_damping),
      friction: copy(m.geom_friction),
      gear: copy(m.actuator_gear),
    };
    const w = mj.mjtWarning;
    this.badWarnings = [w.mjWARN_BADQPOS, w.mjWARN_BADQVEL, w.mjWARN_BADQACC].map((x) => x.value);
    const dropped = new Set(this.info.droppedQpos);
    this.kept = Array.from({ length: this.info.nq }, (_, i) => i).filter((i) => !dropped.has(i));
  }

  /** Loads `src` into MuJoCo; an unreadable model is a DataError with MuJoCo's own first line. */
  static async load(src: ModelSource): Promise<MujocoSimulator> {
    const mj = await mujocoModule();
    const path = writeFiles(mj, src);
    let m: MjModel;
    try {
      m = mj.MjModel.from_xml_path(path);
    } catch (e) {
      // MuJoCo's message spans lines (the error, then where it is): one line of at most 200 characters.
      const text = String((e as Error)?.message ?? e)
        .replace(/^MuJoCo Error: /, '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(' ')
        .slice(0, 200);
      throw new DataError(`${src.file ?? src.name}: MuJoCo cannot load the model (${text})`);
    }
    return new MujocoSimulator(mj, m, new mj.MjData(m), src.name);
  }

  private apply(v: Variation): void {
    const { m } = this;
    const n = this.nominal;
    const mass = m.body_mass as Float64Array;
    const inertia = m.body_inertia as Float64Array;
    for (let b = 1; b < mass.length; b++) {
      const f = VARIATION_BASE ** v.body[b - 1];
      mass[b] = n.mass[b] * f;
      for (let k = 0; k < 3; k++) inertia[3 * b + k] = n.inertia[3 * b + k] * f;
    }
    const damping = m.dof_damping as Float64Array;
    for (let i = 0; i < damping.length; i++) damping[i] = n.damping[i] * VARIATION_BASE ** v.dof[i];
    const friction = m.geom_friction as Float64Array;
    for (let g = 0; g < friction.length / 3; g++)
      for (let k = 0; k < 3; k++) friction[3 * g + k] = n.friction[3 * g + k] * VARIATION_BASE ** v.geom[g];
    const gear = m.actuator_gear as Float64Array;
    gear.set(n.gear);
    if (v.disabledActuator >= 0) gear.fill(0, 6 * v.disabledActuator, 6 * v.disabledActuator + 6);
    const weak = v.weakActuator;
    if (weak) for (let k = 6 * weak.index; k < 6 * weak.index + 6; k++) gear[k] *= weak.strength;
  }

  private warned(): string | undefined {
    for (const k of this.badWarnings) {
      const stat = this.d.warning.get(k);
      const count = stat?.number ?? 0;
      stat?.delete();
      if (count > 0) return `MuJoCo warned: ${this.mj.mju_warningText(k, 0).split('.')[0]}`;
    }
    return undefined;
  }

  rollout(v: Variation, start: Float64Array, actions: Float32Array): RolloutResult {
    const { mj, m, d, info } = this;
    this.apply(v);
    mj.mj_resetData(m, d);
    const dropped = new Set(info.droppedQpos);
    const S = info.nq - dropped.size + info.nv;
    const L = actions.length / info.nu;
    const states = new Float32Array((L + 1) * S);
    // Views are taken again after every call into the engine: a growing wasm heap detaches them.
    const q0 = d.qpos as Float64Array;
    const v0 = d.qvel as Float64Array;
    for (let i = 0; i < info.nq; i++) q0[i] += start[i];
    for (let i = 0; i < info.nv; i++) v0[i] += start[info.nq + i];
    const record = (t: number) => {
      const q = d.qpos as Float64Array;
      const qv = d.qvel as Float64Array;
      let at = t * S;
      for (let i = 0; i < info.nq; i++) if (!dropped.has(i)) states[at++] = q[i];
      for (let i = 0; i < info.nv; i++) states[at++] = qv[i];
    };
    record(0);
    for (let t = 0; t < L; t++) {
      const ctrl = d.ctrl as Float64Array;
      for (let j = 0; j < info.nu; j++) ctrl[j] = actions[t * info.nu + j];
      mj.mj_step(m, d);
      record(t + 1);
    }
    // MuJoCo resets the data itself after a bad acceleration and counts a warning: the episode
    // would splice two unrelated trajectories, so any such warning marks the variation unstable.
    const warning = this.warned();
    return warning ? { ok: false, reason: warning } : { ok: true, states };
  }

  /**
   * The data's qpos, qvel and ctrl views, kept between steps (taking them anew costs more than the
   * step of a small model) and taken again once heap growth has detached them (length 0).
   */
  private views(): { qpos: Float64Array; qvel: Float64Array; ctrl: Float64Array } {
    const v = this.live;
    if (v && v.qpos.length > 0) return v;
    const d = this.d;
    this.live = { qpos: d.qpos as Float64Array, qvel: d.qvel as Float64Array, ctrl: d.ctrl as Float64Array };
    return this.live;
  }

  /** The current state in the state layout (kept qpos, then qvel). */
  private readState(): Float32Array {
    const { qpos, qvel } = this.views();
    const K = this.kept.length;
    const out = new Float32Array(K + this.info.nv);
    for (let k = 0; k < K; k++) out[k] = qpos[this.kept[k]];
    for (let i = 0; i < this.info.nv; i++) out[K + i] = qvel[i];
    return out;
  }

  reset(v: Variation, start: Float64Array): Float32Array {
    const { mj, m, d, info } = this;
    this.apply(v);
    mj.mj_resetData(m, d);
    const { qpos, qvel } = this.views();
    for (let i = 0; i < info.nq; i++) qpos[i] += start[i];
    for (let i = 0; i < info.nv; i++) qvel[i] += start[info.nq + i];
    return this.readState();
  }

  setVariation(v: Variation): void {
    this.apply(v);
  }

  setState(state: ArrayLike<number>): void {
    const { qpos, qvel } = this.views();
    const K = this.kept.length;
    for (let k = 0; k < K; k++) qpos[this.kept[k]] = state[k];
    for (let i = 0; i < this.info.nv; i++) qvel[i] = state[K + i];
  }

  step(action: ArrayLike<number>): SimStepResult {
    const { mj, m, d, info } = this;
    const { ctrl } = this.views();
    for (let j = 0; j < info.nu; j++) ctrl[j] = action[j];
    const time = d.time;
    mj.mj_step(m, d);
    // MuJoCo resets the data itself (time back to 0) after a bad qpos, qvel or acceleration:
    // what follows would be another trajectory.
    if (d.time < time) return { ok: false, reason: 'MuJoCo reset an unstable simulation' };
    const state = this.readState();
    if (!state.every(Number.isFinite)) return { ok: false, reason: 'non-finite state' };
    return { ok: true, state };
  }

  dispose(): void {
    this.d.delete();
    this.m.delete();
  }
}
