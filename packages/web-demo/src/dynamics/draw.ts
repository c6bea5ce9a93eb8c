/** What the canvas shows: the pendulum now, and the recent reward and model error. */
export interface DynamicsView {
  angle: number;
  action: number;
  /** The action range's upper end (for the torque arrow's length). */
  maxAction: number;
  mass: number;
  /** The motor's strength, 0–1: the torque delivered is the action times it. */
  motor: number;
  /** Per-step traces of the last seconds, oldest first (error null: no model yet). */
  reward: readonly number[];
  error: readonly (number | null)[];
  /** The error of the model kept from before the last change. */
  keptError: readonly (number | null)[];
  /** Indices in the traces where the mass or the motor was changed. */
  changes: readonly number[];
  dt: number;
}

export const COLORS = {
  rod: '#444444',
  bob: '#1f77b4',
  torque: '#d62728',
  reward: '#2ca02c',
  error: '#9467bd',
  kept: '#aaaaaa',
};
const FONT = '12px system-ui, sans-serif';
/** The error axis: log scale from 1e-4 to 10 (the model's one-step NMSE is about 0.004 in range). */
const ERROR_RANGE = [-4, 1] as const;

/** Draws the pendulum on the left third and the traces on the rest, in CSS pixels. */
export function drawDynamics(canvas: HTMLCanvasElement, v: DynamicsView): void {
  const dpr = window.devicePixelRatio || 1;
  const [w, h] = [canvas.clientWidth, canvas.clientHeight];
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr))
    [canvas.width, canvas.height] = [Math.round(w * dpr), Math.round(h * dpr)];
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  g.font = FONT;
  const split = Math.min(h, w / 3);
  drawPendulum(g, split, h, v);
  drawTraces(g, { left: split + 44, top: 24, width: w - split - 56, height: h - 56 }, v);
}

function drawPendulum(g: CanvasRenderingContext2D, w: number, h: number, v: DynamicsView): void {
  const [cx, cy, L] = [w / 2, h / 2, 0.38 * Math.min(w, h)];
  // The hinge turns about y: the bob, at (0, 0, −l) in the pole's frame, is at x = −l sin θ,
  // z = −l cos θ.
  const [bx, by] = [cx - L * Math.sin(v.angle), cy + L * Math.cos(v.angle)];
  g.strokeStyle = '#dddddd';
  g.setLineDash([4, 4]);
  g.beginPath();
  g.arc(cx, cy, L, 0, 2 * Math.PI);
  g.stroke();
  g.setLineDash([]);
  // The 30° cone around upright where dm_control's reward is 1.
  g.fillStyle = 'rgba(44, 160, 44, 0.12)';
  g.beginPath();
  g.moveTo(cx, cy);
  g.arc(cx, cy, L * 1.15, -Math.PI / 2 - Math.PI / 6, -Math.PI / 2 + Math.PI / 6);
  g.closePath();
  g.fill();
  g.strokeStyle = COLORS.rod;
  g.lineWidth = 4;
  g.beginPath();
  g.moveTo(cx, cy);
  g.lineTo(bx, by);
  g.stroke();
  // The torque delivered as an arc around the hinge: its length is the share of the intact motor's
  // range, so a weakened motor's arc stays short however hard the planner pushes.
  const share = Math.max(-1, Math.min(1, (v.action * v.motor) / v.maxAction));
  if (Math.abs(share) > 0.02) {
    g.strokeStyle = COLORS.torque;
    g.lineWidth = 3;
    g.beginPath();
    const a0 = -Math.PI / 2;
    g.arc(cx, cy, 18, a0, a0 - share * Math.PI, share > 0);
    g.stroke();
  }
  g.fillStyle = COLORS.rod;
  g.beginPath();
  g.arc(cx, cy, 4, 0, 2 * Math.PI);
  g.fill();
  // The bob's area grows with its mass.
  g.fillStyle = COLORS.bob;
  g.beginPath();
  g.arc(bx, by, 10 * Math.sqrt(v.mass), 0, 2 * Math.PI);
  g.fill();
  g.fillStyle = '#222';
  g.textAlign = 'center';
  g.fillText(`mass ×${v.mass.toFixed(1)} · motor ${(100 * v.motor).toFixed(0)} %`, cx, h - 8);
}

type Box = { left: number; top: number; width: number; height: number };

function drawTraces(g: CanvasRenderingContext2D, b: Box, v: DynamicsView): void {
  const n = Math.max(v.reward.length, 2);
  const x = (i: number) => b.left + (i / (n - 1)) * b.width;
  g.strokeStyle = '#cccccc';
  g.lineWidth = 1;
  g.strokeRect(b.left, b.top, b.width, b.height);
  g.strokeStyle = '#999999';
  g.setLineDash([3, 3]);
  for (const c of v.changes) {
    g.beginPath();
    g.moveTo(x(c), b.top);
    g.lineTo(x(c), b.top + b.height);
    g.stroke();
  }
  g.setLineDash([]);
  // Reward: a running mean over 0.5 s (the raw one is 0 or 1), on [0, 1].
  const smooth = runningMean(v.reward, Math.round(0.5 / v.dt)) as number[];
  line(g, smooth, x, (r) => b.top + (1 - r) * b.height, COLORS.reward);
  const [lo, hi] = ERROR_RANGE;
  const ey = (e: number) => {
    const l = Math.max(lo, Math.min(hi, Math.log10(Math.max(e, 1e-12))));
    return b.top + ((hi - l) / (hi - lo)) * b.height;
  };
  // Errors too, over 0.5 s: one step's error jumps with the state (tiny while balanced, larger in swings).
  line(g, runningMean(v.keptError, Math.round(0.5 / v.dt)), x, ey, COLORS.kept);
  line(g, runningMean(v.error, Math.round(0.5 / v.dt)), x, ey, COLORS.error);
  g.textAlign = 'left';
  g.fillStyle = COLORS.reward;
  g.fillText('reward (0.5 s mean, 0–1)', b.left, b.top - 8);
  g.fillStyle = COLORS.error;
  g.textAlign = 'right';
  g.fillText('model one-step error (log, 1e-4–10)', b.left + b.width, b.top - 8);
  g.fillStyle = COLORS.kept;
  g.fillText('grey: the model from before the change', b.left + b.width, b.top + b.height + 18);
  g.fillStyle = '#555';
  g.textAlign = 'left';
  g.fillText(`last ${(n * v.dt).toFixed(0)} s · dashed: body changed`, b.left, b.top + b.height + 18);
  g.textAlign = 'right';
  g.fillText('1', b.left - 6, b.top + 10);
  g.fillText('0', b.left - 6, b.top + b.height);
}

function line(
  g: CanvasRenderingContext2D,
  ys: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
  color: string,
): void {
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.beginPath();
  let pen = false;
  ys.forEach((v, i) => {
    if (v === null) return void (pen = false);
    if (pen) g.lineTo(x(i), y(v));
    else g.moveTo(x(i), y(v));
    pen = true;
  });
  g.stroke();
}

/** Mean of each value and the `k − 1` before it, nulls left out (null where all `k` are null). */
export function runningMean(v: readonly (number | null)[], k: number): (number | null)[] {
  const out: (number | null)[] = [];
  let [sum, count] = [0, 0];
  v.forEach((x, i) => {
    const old = i >= k ? v[i - k] : null;
    if (x !== null) [sum, count] = [sum + x, count + 1];
    if (old !== null) [sum, count] = [sum - old, count - 1];
    out.push(count ? sum / count : null);
  });
  return out;
}
