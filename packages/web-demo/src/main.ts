import { startDynamicsPanel } from './dynamics/panel.js';
import { startFewShotPanel } from './fewshot/panel.js';
import { startLanguagePanel } from './language/panel.js';
import { startSinusoidPanel } from './sinusoid/panel.js';
import { startWasm, state } from './runtime.js';

/** ?seed=N fixes the sequence of generated tasks (the e2e test uses it); otherwise each visit differs. */
function seedFromUrl(): number {
  const v = Number(new URLSearchParams(location.search).get('seed'));
  return Number.isInteger(v) && v !== 0 ? v : (Date.now() % 2 ** 31) | 0;
}

async function main(): Promise<void> {
  const runtime = document.getElementById('runtime')!;
  try {
    const { backend, simd } = await startWasm();
    runtime.textContent = `Backend: ${backend} · WebAssembly SIMD: ${simd ? 'on' : 'off'} · everything runs on this device`;
    Object.assign(runtime.dataset, { backend, simd: String(simd), ready: 'true' });
    await startSinusoidPanel(seedFromUrl());
    await startFewShotPanel();
    await startLanguagePanel();
    await startDynamicsPanel(seedFromUrl());
  } catch (e) {
    state.error = String((e as Error)?.message ?? e);
    runtime.textContent = `Error: ${state.error}`;
    runtime.classList.add('error');
    throw e;
  }
}

void main();
