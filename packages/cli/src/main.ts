#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { HypermetaError } from '@hypermeta/core';
import { adaptSpec } from './commands/adapt.js';
import { backendsSpec } from './commands/backends.js';
import { benchSpec } from './commands/bench.js';
import { evalSpec } from './commands/eval.js';
import { plotSpec } from './commands/plot.js';
import { trainSpec } from './commands/train.js';

/** Bad input: one line on stderr, exit code 2, no stack trace. */
function fail(message: string): never {
  process.stderr.write(`hypermeta: ${message.replace(/\s*\n\s*/g, ' ').trim().replace(/^error: /, '')}\n`);
  process.exit(2);
}

const program = new Command('hypermeta')
  .description('Meta-learning with hypernetworks: meta-train a generator of task networks, then adapt to new tasks in one forward pass.')
  .exitOverride()
  .configureOutput({ writeErr: (s) => { if (!/^error:/.test(s)) process.stderr.write(s); } , outputError: (s) => fail(s) })
  .showSuggestionAfterError(true);

// One module per command; each builds its own flags and help.
for (const spec of [trainSpec, evalSpec, adaptSpec, plotSpec, backendsSpec, benchSpec]) {
  program.addCommand(spec().copyInheritedSettings(program));
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 1 ? 2 : e.exitCode);
  if (e instanceof HypermetaError) fail(e.message);
  throw e;
}
