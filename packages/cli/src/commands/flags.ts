import type { Command } from 'commander';

/** Whether the user gave this flag (not a default): the commands refuse flags that would have no effect. */
export function flagGiven(cmd: Command, key: string): boolean {
  const source = cmd.getOptionValueSource(key);
  return source === 'cli' || source === 'env';
}

/** The flag as the user types it, e.g. 'metaBatch' → '--meta-batch'. */
export function flagLabel(cmd: Command, key: string): string {
  const options = cmd.options.filter((o) => o.attributeName() === key);
  // --x and --no-x share one attribute: a false value came from the negated one.
  const negated = cmd.getOptionValue(key) === false;
  return (options.find((o) => o.negate === negated) ?? options[0])?.long ?? key;
}
