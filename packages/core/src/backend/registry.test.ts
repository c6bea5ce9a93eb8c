import { describe, expect, it } from 'vitest';
import '../index.js';
import { BackendUnavailableError } from '../errors/errors.js';
import { backendNames, probeBackends, registerBackendLoader, useBackend } from './registry.js';

describe('backend registry', () => {
  it('tries "auto" in priority order, falls back, and sets each backend up once', async () => {
    let calls = 0;
    registerBackendLoader({
      name: 'fake-high',
      tfName: 'fake-high',
      priority: 100,
      setUp: async () => {
        calls++;
        throw new Error('no native library');
      },
    });
    expect(backendNames()[0]).toBe('fake-high');
    expect(await useBackend('auto')).not.toBe('fake-high');
    await useBackend(['fake-high', 'cpu']);
    expect(calls).toBe(1);
    const listed = await probeBackends();
    expect(listed.find((b) => b.name === 'fake-high')).toEqual({
      name: 'fake-high',
      available: false,
      reason: 'no native library',
    });
    expect(listed.find((b) => b.name === 'cpu')?.available).toBe(true);
    registerBackendLoader({ name: 'fake-high', tfName: 'cpu', priority: -100, setUp: async () => {} });
  });

  it('lists every backend tried with its own reason when none works', async () => {
    registerBackendLoader({
      name: 'fake-a',
      tfName: 'fake-a',
      priority: -1,
      setUp: async () => {
        throw new Error('reason A');
      },
    });
    const err = await useBackend(['fake-a', 'nope']).catch((e) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toBe(
      'no backend could be used: [fake-a] reason A; [nope] unknown backend (known: ' +
        backendNames().join(', ') +
        ')',
    );
    expect(err.reasons.map((r: { name: string }) => r.name)).toEqual(['fake-a', 'nope']);
  });

  it('reports a backend whose set-up passes but tfjs cannot initialise', async () => {
    registerBackendLoader({
      name: 'fake-b',
      tfName: 'not-a-tf-backend',
      priority: -2,
      setUp: async () => {},
    });
    await expect(useBackend('fake-b')).rejects.toThrow(/could not initialise/);
  });
});
