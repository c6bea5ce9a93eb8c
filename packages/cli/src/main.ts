#!/usr/bin/env node
import { CommanderError } from 'commander';
import { HypermetaError } from '@hypermeta/core';
import { Interrupted } from './interrupted.js';
import { createProgram } from './program.js';

/** Bad input: one line on stderr, exit code 2, no stack trace. */
function fail(message: string): never {
  process.stderr.write(
    `hypermeta: ${message
      .replace(/\s*\n\s*/g, ' ')
      .trim()
      .replace(/^error: /, '')}\n`,
  );
  process.exit(2);
}

try {
  await createProgram(fail).parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 1 ? 2 : e.exitCode);
  if (e instanceof HypermetaError) fail(e.message);
  if (e instanceof Interrupted) {
    process.stderr.write(`hypermeta: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}
