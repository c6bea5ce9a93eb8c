import { CommanderError } from 'commander';
import { HypermetaError } from '@hypermeta/core';
import { Interrupted } from './interrupted.js';
import { createProgram } from './program.js';

/** Commander's one-line error, carried out of the parse to where the exit code is chosen. */
class CommandLineError extends Error {}

/** Bad input: one line on stderr, no stack trace. */
function writeUserError(message: string): void {
  process.stderr.write(
    `hypermeta: ${message
      .replace(/\s*\n\s*/g, ' ')
      .trim()
      .replace(/^error: /, '')}\n`,
  );
}

/**
 * Runs the `hypermeta` command line `argv` (node's argv: program and script first) and returns
 * the exit code: 0 when the command finished, 2 for bad input (one line on stderr), 130 or 143
 * when training stopped on a signal. Anything else is a bug and is thrown. main.ts exits with the
 * code; tests call this in their own process for cases that fail before any computing starts.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const fail = (message: string): never => {
    throw new CommandLineError(message);
  };
  try {
    await createProgram(fail).parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommandLineError || e instanceof HypermetaError) {
      writeUserError(e.message);
      return 2;
    }
    if (e instanceof CommanderError) return e.exitCode === 1 ? 2 : e.exitCode;
    if (e instanceof Interrupted) {
      process.stderr.write(`hypermeta: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
