import { InvalidArgumentError } from '../errors/errors.js';
import type { TaskFamily } from './task-family.js';

/** Families by name; each registers once on import (see families/index.ts). */
const families = new Map<string, TaskFamily>();

/** Adds a family (a later registration of the same name replaces it, as backends do). */
export function registerFamily(family: TaskFamily): void {
  families.set(family.name, family);
}

/** Removes a family (for tests that register one of their own). */
export function unregisterFamily(name: string): void {
  families.delete(name);
}

/** Registered family names, in registration order. */
export function familyNames(): string[] {
  return [...families.keys()];
}

export function allFamilies(): TaskFamily[] {
  return [...families.values()];
}

/** The family of this name; InvalidArgumentError listing the known ones otherwise. */
export function getFamily(name: unknown): TaskFamily {
  const f = typeof name === 'string' ? families.get(name) : undefined;
  if (!f)
    throw new InvalidArgumentError(
      `unknown task family ${JSON.stringify(name)} (known: ${familyNames().join(', ')})`,
    );
  return f;
}

/** The family that built a saved config, after checking that the method is one of its own. */
export function familyOf(config: { task?: unknown; method?: unknown }): TaskFamily {
  const f = getFamily(config?.task);
  if (!f.methods.includes(config.method as string)) {
    throw new InvalidArgumentError(
      `unknown method ${JSON.stringify(config.method)} for ${f.name} (expected ${f.methods.join(', ')})`,
    );
  }
  return f;
}
