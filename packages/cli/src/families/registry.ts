import type { Option } from 'commander';
import { getFamily, InvalidArgumentError } from '@hypermeta/core';
import type { CliFamily, Flags } from './cli-family.js';

const adapters = new Map<string, CliFamily>();

/** Adds a family's CLI adapter; its core family must be registered under the same name. */
export function registerCliFamily<D>(adapter: CliFamily<D>): void {
  getFamily(adapter.name);
  adapters.set(adapter.name, adapter as CliFamily);
}

export function unregisterCliFamily(name: string): void {
  adapters.delete(name);
}

export function cliFamilies(): CliFamily[] {
  return [...adapters.values()];
}

/** The adapter of a family; a family with none cannot be used from the command line. */
export function cliFamily(name: string): CliFamily {
  const a = adapters.get(name);
  if (!a)
    throw new InvalidArgumentError(
      `task family '${name}' has no command-line support (known: ${[...adapters.keys()].join(', ')})`,
    );
  return a;
}

type Command = 'train' | 'eval' | 'adapt';

/** Every family's flags for a command, each flag once, grouped under its family in --help; with their owners. */
export function familyOptions(command: Command): { options: Option[]; owners: Map<string, string[]> } {
  const owners = new Map<string, string[]>();
  const byLong = new Map<string, Option>();
  for (const a of adapters.values()) {
    for (const opt of a.flags[command]?.() ?? []) {
      const key = opt.attributeName();
      owners.set(key, [...new Set([...(owners.get(key) ?? []), a.name])]);
      // A flag two families share (say --inner-steps) is listed once, with the first one's help.
      if (!byLong.has(opt.long!)) byLong.set(opt.long!, opt);
    }
  }
  const options = [...byLong.values()].map((o) =>
    o.helpGroup(`${owners.get(o.attributeName())!.join(' and ')} options:`),
  );
  return { options, owners };
}

/**
 * Refuses a family flag given for a family that does not take it: silently ignoring it would
 * leave the user believing it had an effect.
 */
export function refuseForeignFlags(
  command: Command,
  family: string,
  given: (key: string) => boolean,
  flagName: (key: string) => string,
): void {
  const { owners } = familyOptions(command);
  for (const [key, names] of owners) {
    if (!names.includes(family) && given(key)) {
      throw new InvalidArgumentError(
        `${flagName(key)} is a flag of ${names.join(' and ')}, not of ${family}: it would have no effect`,
      );
    }
  }
}

/** Whether a flag was given on the command line (not a default). */
export type GivenCheck = (key: string) => boolean;

export type { Flags };
