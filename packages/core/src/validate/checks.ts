import { InvalidArgumentError } from '../errors/errors.js';

/**
 * The field checks every config validation shares. Each throws InvalidArgumentError naming the
 * field and the value it got, so a bad flag, config file or checkpoint reads the same everywhere.
 */
const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** An integer in [min, max]. */
export function checkInt(name: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got ${show(v)}`);
  }
}

/** A finite number > 0. */
export function checkPositive(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive number, got ${show(v)}`);
  }
}

/** A finite number ≥ 0. */
export function checkNonNegative(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InvalidArgumentError(`${name} must be a number ≥ 0, got ${show(v)}`);
  }
}

/** A finite number in [min, max]. */
export function checkRange(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, got ${show(v)}`);
  }
}

/** true or false (absent allowed with `optional`, for fields older checkpoints lack). */
export function checkBoolean(name: string, v: unknown, optional = false): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'boolean') throw new InvalidArgumentError(`${name} must be true or false, got ${show(v)}`);
}

/** A list of at least `minLength` integers from 1 to `max`. */
export function checkPositiveInts(name: string, v: unknown, minLength: number, max = 1_000_000): void {
  if (
    !Array.isArray(v) ||
    v.length < minLength ||
    !v.every((x) => Number.isInteger(x) && x > 0 && x <= max)
  ) {
    throw new InvalidArgumentError(
      `${name} must be a list of at least ${minLength} positive integers, got ${show(v)}`,
    );
  }
}

/** One of the listed strings. */
export function checkOneOf<T extends string>(
  name: string,
  v: unknown,
  allowed: readonly T[],
): asserts v is T {
  if (!allowed.includes(v as T)) {
    throw new InvalidArgumentError(`unknown ${name} ${show(v)} (expected ${allowed.join(', ')})`);
  }
}
