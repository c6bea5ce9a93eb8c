import { state } from '../runtime.js';
import { BROWSER_PLANNER, OnlineController, type PlannerSettings, type StepRecord } from './controller.js';
import { drawDynamics } from './draw.js';
import './dynamics.css';
import { loadDynamicsModel } from './model.js';

/** Seconds of history the canvas shows. */
const SHOWN_SECONDS = 10;
/** Wall milliseconds the page may spend stepping per animation frame (the rest draws and responds). */
const FRAME_BUDGET_MS = 40;
/** Simulated seconds the page may lag behind wall time before it gives up catching up. */
const MAX_LAG_S = 0.25;

/** What the page exposes of this panel: its end-to-end test reads the traces. */
export interface DynamicsPanelState {
  running: boolean;
  /** Control steps since the last restart, and the simulated seconds they make. */
  steps: number;
  simSeconds: number;
  mass: number;
  /** The motor's strength, 0–1 of its torque (the slider shows it in %). */
  motor: number;
  /** Per step since the last restart (see StepRecord). */
  reward: number[];
  height: number[];
  error: (number | null)[];
  keptError: (number | null)[];
  planMs: number[];
  /** Steps at which the mass or the motor was set, and the body from then on. */
  changes: { step: number; mass: number; motor: number }[];
  settings: PlannerSettings;
  context: number;
  message: string;
}

/**
 * The dynamics panel: the shipped pendulum simulated by MuJoCo's wasm build, kept up by MPC through
 * a dynamics model the hypernetwork generates anew from the last K transitions before every step.
 * The engine is loaded on the first start (a 10 MB download the rest of the page does not need).
 */
export async function startDynamicsPanel(seed: number): Promise<void> {
  const root = document.getElementById('dynamics')!;
  const canvas = document.getElementById('dyn-canvas') as HTMLCanvasElement;
  const runButton = document.getElementById('dyn-run') as HTMLButtonElement;
  const restartButton = document.getElementById('dyn-restart') as HTMLButtonElement;
  const massInput = document.getElementById('dyn-mass') as HTMLInputElement;
  const massLabel = document.getElementById('dyn-mass-value')!;
  const motor = motorSlider(document.getElementById('dyn-controls')!);
  const readout = document.getElementById('dyn-readout')!;
  const note = document.getElementById('dynamics-model')!;
  const s: DynamicsPanelState = {
    running: false,
    steps: 0,
    simSeconds: 0,
    mass: Number(massInput.value),
    motor: Number(motor.input.value) / 100,
    reward: [],
    height: [],
    error: [],
    keptError: [],
    planMs: [],
    changes: [],
    settings: BROWSER_PLANNER,
    context: 0,
    message: '',
  };
  Object.assign(state, { dynamics: s });
  // The last panel, and an optional one: a model it cannot use is said here, the others keep working.
  const source = await loadDynamicsModel().catch((e: unknown) => {
    s.message = `Cannot load the dynamics model: ${(e as Error)?.message ?? e}`;
    return null;
  });
  if (!source) {
    note.textContent =
      s.message ||
      'No dynamics checkpoint is shipped ("dynamics" in models/models.json): nothing to control with.';
    runButton.disabled = restartButton.disabled = massInput.disabled = motor.input.disabled = true;
    root.dataset.ready = 'true';
    return;
  }
  note.textContent = source.note;
  s.context = source.model.config.context;
  const dt = source.model.config.env.dt;
  const maxAction = source.model.config.env.ctrlRange[1];
  let controller: OnlineController | undefined;
  let resumedAt = 0;
  let stepsAtResume = 0;
  let currentAction = 0;

  const draw = () => {
    const n = Math.round(SHOWN_SECONDS / dt);
    const from = Math.max(0, s.steps - n);
    drawDynamics(canvas, {
      angle: controller?.angle ?? 0,
      action: currentAction,
      maxAction,
      mass: s.mass,
      motor: s.motor,
      reward: s.reward.slice(from),
      error: s.error.slice(from),
      keptError: s.keptError.slice(from),
      changes: s.changes.filter((c) => c.step >= from && c.step > 0).map((c) => c.step - from),
      dt,
    });
    readout.textContent = describe(s, dt);
  };
  const take = (r: StepRecord) => {
    s.reward.push(r.reward);
    s.height.push(r.height);
    s.error.push(r.error);
    s.keptError.push(r.keptError);
    s.planMs.push(r.planMs);
    currentAction = r.action;
    s.steps++;
    s.simSeconds = s.steps * dt;
  };
  const frame = () => {
    if (!s.running || !controller) return;
    const start = performance.now();
    // Simulated time keeps to wall time when planning is fast enough, and falls behind otherwise:
    // once behind by more than MAX_LAG_S (slow planning, a hidden tab) it does not rush to catch up.
    let due = stepsAtResume + Math.floor((start - resumedAt) / 1000 / dt);
    if (due - s.steps > MAX_LAG_S / dt) {
      [resumedAt, stepsAtResume] = [start, s.steps];
      due = s.steps + 1;
    }
    try {
      while (s.steps < due && performance.now() - start < FRAME_BUDGET_MS) take(controller.step());
    } catch (e) {
      stop(`Stopped: ${(e as Error)?.message ?? e}`);
    }
    draw();
    requestAnimationFrame(frame);
  };
  const stop = (message = '') => {
    s.running = false;
    s.message = message;
    root.dataset.running = 'false';
    runButton.textContent = 'Start';
  };
  const run = async () => {
    if (s.running) return stop();
    if (!controller) {
      runButton.disabled = true;
      readout.textContent = 'Loading MuJoCo (WebAssembly, 10 MB)…';
      const { loadPendulum } = await import('./engine.js');
      controller = new OnlineController(await loadPendulum(), source.model, BROWSER_PLANNER, seed);
      controller.setMass(s.mass);
      controller.setMotor(s.motor);
      runButton.disabled = false;
    }
    [s.running, s.message, resumedAt, stepsAtResume] = [true, '', performance.now(), s.steps];
    root.dataset.running = 'true';
    runButton.textContent = 'Pause';
    requestAnimationFrame(frame);
  };
  runButton.onclick = () => {
    run().catch((e: unknown) => {
      stop(`Cannot start: ${(e as Error)?.message ?? e}`);
      runButton.disabled = false;
      draw();
    });
  };
  restartButton.onclick = () => {
    if (!controller) return;
    controller.restart();
    Object.assign(s, {
      steps: 0,
      simSeconds: 0,
      reward: [],
      height: [],
      error: [],
      keptError: [],
      planMs: [],
    });
    currentAction = 0;
    s.changes = [{ step: 0, mass: s.mass, motor: s.motor }];
    [resumedAt, stepsAtResume] = [performance.now(), 0];
    draw();
  };
  massInput.oninput = () => {
    s.mass = Number(massInput.value);
    massLabel.textContent = `×${s.mass.toFixed(1)}`;
    controller?.setMass(s.mass);
    s.changes.push({ step: s.steps, mass: s.mass, motor: s.motor });
    draw();
  };
  motor.input.oninput = () => {
    s.motor = Number(motor.input.value) / 100;
    motor.value.textContent = `${motor.input.value} %`;
    controller?.setMotor(s.motor);
    s.changes.push({ step: s.steps, mass: s.mass, motor: s.motor });
    draw();
  };
  s.changes.push({ step: 0, mass: s.mass, motor: s.motor });
  window.addEventListener('resize', draw);
  draw();
  root.dataset.ready = 'true';
}

/**
 * The motor-strength slider, after the mass slider: 0–100 % of the motor's torque in 5 % steps.
 * A slider rather than a "weaken" button: it goes both ways (a repaired motor is a change too),
 * and a user can look for the strength below which the pole can no longer be held.
 */
function motorSlider(controls: HTMLElement): { input: HTMLInputElement; value: HTMLElement } {
  const label = document.createElement('label');
  label.htmlFor = 'dyn-motor';
  label.textContent = 'Motor';
  const input = document.createElement('input');
  Object.assign(input, { id: 'dyn-motor', type: 'range', min: '0', max: '100', step: '5', value: '100' });
  const value = document.createElement('span');
  value.id = 'dyn-motor-value';
  value.textContent = '100 %';
  controls.append(label, input, value);
  return { input, value };
}

/** Mean of the non-null values among the last `n`, or NaN. */
function recentMean(v: readonly (number | null)[], n: number): number {
  const x = v.slice(-n).filter((e): e is number => e !== null);
  return x.length ? x.reduce((a, b) => a + b, 0) / x.length : NaN;
}

/** The readout: time, reward and errors over the last second, and what a control step costs. */
function describe(s: DynamicsPanelState, dt: number): string {
  if (s.message) return s.message;
  if (!s.steps) return 'Press Start: the motor has to pump the pendulum up (at most 2 N·m).';
  const n = Math.round(1 / dt);
  const kept = recentMean(s.keptError, n);
  const keptText = Number.isNaN(kept) ? '' : ` (the model from before the last change: ${kept.toFixed(4)})`;
  const { candidates, horizon, iterations } = s.settings;
  const upright = (100 * recentMean(s.reward, n)).toFixed(0);
  return (
    `${s.simSeconds.toFixed(1)} s simulated · upright ${upright} % of the last second · ` +
    `generated model's one-step error ${recentMean(s.error, n).toFixed(4)}${keptText} · ` +
    `${recentMean(s.planMs, n).toFixed(1)} ms per control step of ${dt * 1000} ms ` +
    `(generate + plan ${candidates} candidates × ${horizon} steps × ${iterations} iterations)`
  );
}
