import { Command } from 'commander';
import './families/index.js';
import { adaptSpec } from './commands/adapt.js';
import { backendsSpec } from './commands/backends.js';
import { benchSpec } from './commands/bench.js';
import { controlSpec } from './commands/control.js';
import { evalSpec } from './commands/eval.js';
import { plotSpec } from './commands/plot.js';
import { trainSpec } from './commands/train.js';
import { cliVersion } from './version.js';

/**
 * The `hypermeta` program, built from the registered families (a family registered before this
 * call gets its flags and --task choice). `fail` receives commander's one-line errors.
 */
export function createProgram(fail: (message: string) => never): Command {
  const program = new Command('hypermeta')
    .description(
      'Meta-learning with hypernetworks: meta-train a generator of task networks, then adapt to new tasks in one forward pass.',
    )
    .version(cliVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => {
        if (!/^error:/.test(s)) process.stderr.write(s);
      },
      outputError: (s) => fail(s),
    })
    .showSuggestionAfterError(true);
  // One module per command; each builds its own flags and help.
  for (const spec of [trainSpec, evalSpec, adaptSpec, controlSpec, plotSpec, backendsSpec, benchSpec]) {
    program.addCommand(spec().copyInheritedSettings(program));
  }
  return program;
}
