"""MuJoCo's Python binding stepping the same model as hypermeta's WebAssembly build, for
`hypermeta bench --task dynamics` (its runner: packages/cli/src/families/dynamics/bench/mujoco-peer.ts).

The same work as hypermeta's simulator, written the way a Python user of `mujoco` would:

  rollouts  the product's collection path (packages/cli/src/physics/mujoco-simulator.ts `rollout`):
            for each variation in turn, on one MjModel/MjData pair, set every body's mass and
            inertia, every dof's damping, every geom's friction and the actuators' gears from the
            factors given, reset, add the start offset to qpos and qvel, then L steps of
            (ctrl <- action; mj_step; record the state: qpos without the dropped entries, then
            qvel, as float32), and read the bad-state warning counters at the end
  loop      the bare engine: from a reset, `steps` steps of (ctrl <- action; mj_step)

Run as `python3 peer.py`; one JSON request per line on stdin, one JSON answer per line on stdout.
Only the stepping is timed (time.perf_counter), never the parsing of a request.
"""

import json
import sys
import time

import mujoco
import numpy as np

MODEL = None
DATA = None
NOMINAL = None
BAD_WARNINGS = [
    int(mujoco.mjtWarning.mjWARN_BADQPOS),
    int(mujoco.mjtWarning.mjWARN_BADQVEL),
    int(mujoco.mjtWarning.mjWARN_BADQACC),
]


def load(req):
    global MODEL, DATA, NOMINAL
    MODEL = mujoco.MjModel.from_xml_path(req["path"])
    DATA = mujoco.MjData(MODEL)
    m = MODEL
    NOMINAL = {
        "mass": m.body_mass.copy(),
        "inertia": m.body_inertia.copy(),
        "damping": m.dof_damping.copy(),
        "friction": m.geom_friction.copy(),
        "gear": m.actuator_gear.copy(),
    }
    return {"nq": m.nq, "nv": m.nv, "nu": m.nu, "timestep": m.opt.timestep}


def apply(v):
    """The variation's factors (computed by hypermeta, so both sides multiply the same doubles)."""
    m, n = MODEL, NOMINAL
    body = np.asarray(v["body"], dtype=np.float64)
    m.body_mass[1:] = n["mass"][1:] * body
    m.body_inertia[1:] = n["inertia"][1:] * body[:, None]
    m.dof_damping[:] = n["damping"] * np.asarray(v["dof"], dtype=np.float64)
    m.geom_friction[:] = n["friction"] * np.asarray(v["geom"], dtype=np.float64)[:, None]
    m.actuator_gear[:] = n["gear"]
    if v["disabled"] >= 0:
        m.actuator_gear[v["disabled"], :] = 0


def rollouts(req):
    m, d = MODEL, DATA
    kept = [i for i in range(m.nq) if i not in set(req["dropped"])]
    variations = req["variations"]
    starts = [np.asarray(s, dtype=np.float64) for s in req["starts"]]
    actions = [np.asarray(a, dtype=np.float64).reshape(-1, m.nu) for a in req["actions"]]
    K = len(kept)
    finals = []
    warned = []
    t0 = time.perf_counter()
    for v, start, acts in zip(variations, starts, actions):
        apply(v)
        mujoco.mj_resetData(m, d)
        d.qpos[:] += start[: m.nq]
        d.qvel[:] += start[m.nq :]
        states = np.empty((len(acts) + 1, K + m.nv), dtype=np.float32)
        states[0, :K] = d.qpos[kept]
        states[0, K:] = d.qvel
        for t in range(len(acts)):
            d.ctrl[:] = acts[t]
            mujoco.mj_step(m, d)
            states[t + 1, :K] = d.qpos[kept]
            states[t + 1, K:] = d.qvel
        warned.append(sum(d.warning[k].number for k in BAD_WARNINGS))
        finals.append(states[-1])
    ms = (time.perf_counter() - t0) * 1000
    steps = sum(len(a) for a in actions)
    return {"ms": ms, "steps": steps, "final": [f.astype(float).tolist() for f in finals], "warned": warned}


def loop(req):
    m, d = MODEL, DATA
    apply({"body": [1] * (m.nbody - 1), "dof": [1] * m.nv, "geom": [1] * m.ngeom, "disabled": -1})
    acts = np.asarray(req["actions"], dtype=np.float64).reshape(-1, m.nu)
    steps = req["steps"]
    mujoco.mj_resetData(m, d)
    t0 = time.perf_counter()
    for t in range(steps):
        d.ctrl[:] = acts[t % len(acts)]
        mujoco.mj_step(m, d)
    ms = (time.perf_counter() - t0) * 1000
    return {"ms": ms, "steps": steps, "qpos": d.qpos.tolist(), "qvel": d.qvel.tolist()}


COMMANDS = {"load": load, "rollouts": rollouts, "loop": loop}


def main():
    print(json.dumps({"ready": True, "mujoco": mujoco.__version__, "numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req.get("cmd") == "quit":
            break
        try:
            out = {"ok": True, **COMMANDS[req["cmd"]](req)}
        except Exception as e:  # the runner reports it in the section, and the rest of the bench goes on
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
