#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { HypermetaError } from '@hypermeta/core';
import { BACKEND_CHOICES } from './backend-select.js';
import { adaptCommand } from './commands/adapt.js';
import { backendsCommand } from './commands/backends.js';
import { evalCommand } from './commands/eval.js';
import { trainCommand } from './commands/train.js';
import { intArg, numArg, shotRangeArg } from './options.js';

/** Bad input: one line on stderr, exit code 2, no stack trace. */
function fail(message: string): never {
  process.stderr.write(`hypermeta: ${message.replace(/\s*\n\s*/g, ' ').trim().replace(/^error: /, '')}\n`);
  process.exit(2);
}

const backendOption = () => new Option('--backend <name>', 'compute backend').choices(BACKEND_CHOICES).default('wasm');

const program = new Command('hypermeta')
  .description('Meta-learning with hypernetworks: meta-train a generator of task networks, then adapt to new tasks in one forward pass.')
  .exitOverride()
  .configureOutput({ writeErr: (s) => { if (!/^error:/.test(s)) process.stderr.write(s); } , outputError: (s) => fail(s) })
  .showSuggestionAfterError(true);

program
  .command('train')
  .description('meta-train a hypernetwork and write a checkpoint folder')
  .addOption(new Option('--task <task>', 'task family').choices(['sinusoid']).default('sinusoid'))
  .addOption(new Option('--method <method>', 'meta-learning method').choices(['hypernet']).default('hypernet'))
  .addOption(new Option('--conditioning <kind>', 'where the code z comes from (default encoder)').choices(['encoder', 'noise', 'embedding']))
  .addOption(new Option('--generator <kind>', 'hypernetwork architecture (default mlp)').choices(['mlp', 'chunked']))
  .option('--inner-steps <n>', 'gradient steps on the support set after generation (default 0 for encoder, 5 otherwise)', intArg(0, 1000))
  .addOption(new Option('--inner-target <what>', 'what the inner steps update').choices(['params', 'code']))
  .addOption(new Option('--inner-order <n>', '1: first-order, 2: differentiate through the steps').choices(['1', '2']).argParser(Number))
  .option('--inner-lr <x>', 'inner-loop step size', numArg(0))
  .option('--learn-inner-lr', 'learn one step size per parameter (Meta-SGD)')
  .addOption(backendOption())
  .option('--steps <n>', 'meta-training steps (default 12000)', intArg(1, 100_000_000))
  .option('--meta-batch <t>', 'tasks per meta-step (default 32)', intArg(1, 65_536))
  .option('--shots <k>', 'support points per task: K or a range MIN-MAX drawn per step (default 3-12)', shotRangeArg)
  .option('--queries <q>', 'query points per training task (default 20)', intArg(1, 100_000))
  .option('--lr <x>', 'peak Adam learning rate (default 0.003, cosine decay)', numArg(0, 10))
  .option('--seed <s>', 'random seed (default 1)', intArg(-2147483648))
  .option('--out <dir>', 'run folder', 'runs/latest')
  .option('--config <file>', 'JSON file with "model" and "train" sections (flags override it)')
  .option('--resume <dir>', 'continue the run in this folder from its newest checkpoint')
  .option('--force', 'replace an existing run in --out')
  .option('--checkpoint-every <n>', 'save a checkpoint every n steps', intArg(1), 1000)
  .option('--keep <k>', 'checkpoints to keep', intArg(1, 1000), 3)
  .option('--log-every <n>', 'steps between metrics.jsonl lines', intArg(1), 50)
  .action((o) => trainCommand(o));

program
  .command('eval')
  .description('evaluate a checkpoint on new tasks that training never saw')
  .requiredOption('--checkpoint <dir>', 'checkpoint or run folder (its newest checkpoint)')
  .option('--tasks <n>', 'number of evaluation tasks', intArg(1, 10_000_000), 1000)
  .option('--shots <k>', 'support points per task', intArg(1, 10_000), 5)
  .option('--queries <q>', 'query points per task at which MSE is measured', intArg(1, 100_000), 100)
  .option('--seed <s>', 'evaluation seed (default: the training seed, whose eval stream never meets training)', intArg(-2147483648))
  .addOption(backendOption())
  .option('--json', 'print one JSON object')
  .action((o) => evalCommand(o));

program
  .command('adapt')
  .description('adapt to one task from a CSV of support points (x,y) and predict at query points')
  .requiredOption('--checkpoint <dir>', 'checkpoint or run folder')
  .requiredOption('--support <file>', 'CSV with header x,y')
  .option('--query <file>', 'CSV with header x (default: 101 points over [-5, 5])')
  .option('--out <file>', 'where to write x,y predictions (default stdout)')
  .addOption(backendOption())
  .action((o) => adaptCommand(o));

program
  .command('backends')
  .description('list backends and whether each can run here')
  .option('--json', 'print a JSON array of {name, available, reason}')
  .action((o) => backendsCommand(o));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 1 ? 2 : e.exitCode);
  if (e instanceof HypermetaError) fail(e.message);
  throw e;
}
