import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamicsPanelState } from '../src/dynamics/panel.js';
import { type BuiltDemo, openBuiltDemo } from './built-demo.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts', import.meta.url));
/** The pendulum's timestep (the shipped MJCF's). */
const DT = 0.02;
const steps = (seconds: number) => Math.round(seconds / DT);

let demo: BuiltDemo;
let page: Page;

beforeAll(async () => {
  demo = await openBuiltDemo('dynamics', '#dynamics[data-ready="true"]', '?seed=7');
  page = demo.page;
});

afterAll(() => demo?.close());

type Panel = DynamicsPanelState;
const panel = () => page.evaluate(() => (window.__hypermeta as { dynamics?: unknown }).dynamics as Panel);

/** Waits until the simulation has run `n` control steps since its last restart. */
async function runUntil(n: number): Promise<Panel> {
  await page.waitForFunction(
    (k) => ((window.__hypermeta as { dynamics?: { steps: number } }).dynamics?.steps ?? 0) >= k,
    n,
    { timeout: 240_000, polling: 100 },
  );
  return panel();
}

/** Mean of the non-null values of v[from, to). */
function mean(v: readonly (number | null)[], from: number, to: number): number {
  const x = v.slice(from, to).filter((e): e is number => e !== null);
  expect(x.length).toBeGreaterThan(0);
  return x.reduce((a, b) => a + b, 0) / x.length;
}

describe('dynamics panel in headless Chromium', () => {
  it('loads the shipped model and waits for Start before loading the engine', async () => {
    expect(await page.locator('#dynamics-model').textContent()).toMatch(/^Dynamics model: hypernet/);
    const p = await panel();
    expect([p.running, p.steps]).toEqual([false, 0]);
    expect(await page.locator('#dyn-readout').textContent()).toMatch(/Press Start/);
  });

  it('swings the pendulum up in MuJoCo and keeps it up, then adapts to a doubled mass', async () => {
    await page.click('#dyn-run');
    await page.waitForSelector('#dynamics[data-running="true"]', { timeout: 60_000 });
    // The 2 N·m motor cannot lift the 1.1 kg pole directly: it has to pump; then it must balance.
    const up = await runUntil(steps(6));
    expect(up.message).toBe('');
    expect(mean(up.reward, steps(5), steps(6))).toBeGreaterThan(0.9);
    expect(up.height.slice(0, steps(1)).every((h) => h < 0.5)).toBe(true); // it started hanging down
    // A real input event on the slider, as a user's drag makes.
    await page.locator('#dyn-mass').fill('2');
    const c = (await panel()).changes.at(-1)!;
    expect(c.mass).toBe(2);
    expect(c.step).toBeGreaterThanOrEqual(steps(6));
    const K = up.context;
    const p = await runUntil(c.step + steps(4));
    expect(p.mass).toBe(2);
    // Still upright (dm_control's reward: within 30°) through the 4 s after the change.
    const held = mean(p.reward, c.step, c.step + steps(4));
    // The model regenerated from the last K transitions predicts the heavier pendulum far better than
    // the one generated before the change, once its window holds only post-change transitions.
    const regenerated = mean(p.error, c.step + K, c.step + steps(4));
    const kept = mean(p.keptError, c.step + K, c.step + steps(4));
    const before = mean(p.error, c.step - steps(1), c.step);
    const ms = mean(p.planMs, 1, p.steps);
    console.log(
      `dynamics: upright ${(100 * held).toFixed(0)} % of the 4 s after mass ×2; one-step error: ` +
        `before the change ${before.toFixed(5)}, after it regenerated ${regenerated.toFixed(5)}, ` +
        `kept from before ${kept.toFixed(5)}; ${ms.toFixed(1)} ms per control step ` +
        `(${p.settings.candidates} × ${p.settings.horizon} × ${p.settings.iterations}), ` +
        `${p.steps} steps in all`,
    );
    expect(held).toBeGreaterThan(0.9);
    expect(regenerated).toBeLessThan(kept / 2);
    expect(before).toBeLessThan(0.01);
    expect(ms).toBeGreaterThan(0);
    const readout = await page.locator('#dyn-readout').textContent();
    expect(readout).toMatch(/s simulated · upright \d+ % of the last second · /);
    expect(readout).toMatch(
      /generated model's one-step error [\d.]+ \(the model from before the last change: [\d.]+\) · /,
    );
    expect(readout).toMatch(/[\d.]+ ms per control step of 20 ms \(generate \+ plan 40 candidates/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#dynamics').screenshot({ path: `${ARTIFACTS}/web-demo-dynamics.png` });
  });

  it('pauses, and restarts with the pendulum hanging and the new mass kept', async () => {
    await page.click('#dyn-run');
    await page.waitForSelector('#dynamics[data-running="false"]');
    const paused = (await panel()).steps;
    await page.waitForTimeout(500);
    expect((await panel()).steps).toBe(paused);
    await page.click('#dyn-restart');
    const r = await panel();
    expect([r.steps, r.reward.length, r.mass]).toEqual([0, 0, 2]);
    await page.click('#dyn-run');
    const p = await runUntil(steps(0.5));
    // Hanging again: half a second in, the pole is still in the lower half of its circle.
    expect(p.height.slice(0, steps(0.5)).every((h) => h < 0.5)).toBe(true);
    await page.click('#dyn-run');
    expect(demo.pageErrors).toEqual([]);
    expect(demo.consoleLines.filter((l) => /^error/i.test(l))).toEqual([]);
  });

  it('keeps the pole up with the motor weakened to half, the regenerated model adapting to it', async () => {
    await page.locator('#dyn-mass').fill('1');
    await page.click('#dyn-restart');
    await page.click('#dyn-run');
    const up = await runUntil(steps(6));
    expect(mean(up.reward, steps(5), steps(6))).toBeGreaterThan(0.9);
    await page.locator('#dyn-motor').fill('50');
    const c = (await panel()).changes.at(-1)!;
    expect([c.mass, c.motor]).toEqual([1, 0.5]);
    expect(await page.locator('#dyn-motor-value').textContent()).toBe('50 %');
    const p = await runUntil(c.step + steps(4));
    await page.click('#dyn-run');
    expect(p.motor).toBe(0.5);
    // Half the torque for the same action: a model that still assumed the full motor mispredicts
    // every push, while the one regenerated from the last K transitions has learnt the weaker one.
    const held = mean(p.reward, c.step, c.step + steps(4));
    const regenerated = mean(p.error, c.step + up.context, c.step + steps(4));
    const kept = mean(p.keptError, c.step + up.context, c.step + steps(4));
    console.log(
      `dynamics: upright ${(100 * held).toFixed(0)} % of the 4 s after the motor fell to 50 %; ` +
        `one-step error regenerated ${regenerated.toFixed(5)}, kept from before ${kept.toFixed(5)}`,
    );
    expect(held).toBeGreaterThan(0.9);
    expect(regenerated).toBeLessThan(kept / 2);
    expect(demo.pageErrors).toEqual([]);
    await page.locator('#dynamics').screenshot({ path: `${ARTIFACTS}/web-demo-dynamics-motor.png` });
  });

  it('says so, and offers no Start, without a usable dynamics checkpoint', async () => {
    const cases = [
      { json: { sinusoid: 'models/sinusoid/' }, note: /^No dynamics checkpoint is shipped/ },
      {
        json: { sinusoid: 'models/sinusoid/', dynamics: 'models/sinusoid/' },
        note: /^Cannot load the dynamics model: models\/sinusoid\/ holds a 'sinusoid' model/,
      },
    ];
    for (const c of cases) {
      const bare = await demo.newPage();
      const errors: string[] = [];
      bare.on('pageerror', (e) => errors.push(String(e)));
      await bare.route('**/models/models.json', (r) => r.fulfill({ json: c.json }));
      await bare.goto(demo.url);
      await bare.waitForSelector('#dynamics[data-ready="true"]', { timeout: 60_000 });
      expect(await bare.locator('#dynamics-model').textContent()).toMatch(c.note);
      expect(await bare.locator('#dyn-run').isDisabled()).toBe(true);
      expect(await bare.locator('#dyn-motor').isDisabled()).toBe(true);
      expect(await bare.locator('#sinusoid').getAttribute('data-ready')).toBe('true');
      expect(await bare.locator('#runtime').textContent()).not.toMatch(/Error/);
      expect(errors).toEqual([]);
      await bare.close();
    }
  });
});
