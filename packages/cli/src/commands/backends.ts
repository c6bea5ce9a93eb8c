import { Command } from 'commander';
import { probeBackends } from '@hypermeta/core';
import { prepareTf } from '../backend-select.js';

export async function backendsCommand(o: { json?: boolean }): Promise<void> {
  await prepareTf();
  const list = (await probeBackends()).map((b) => ({
    name: b.name,
    available: b.available,
    reason: b.reason ?? null,
  }));
  if (o.json) {
    process.stdout.write(JSON.stringify(list) + '\n');
    return;
  }
  for (const b of list)
    process.stdout.write(`${b.name.padEnd(5)} ${b.available ? 'available' : `unavailable: ${b.reason}`}\n`);
}

/** `hypermeta backends`: its flags and help. */
export function backendsSpec(): Command {
  return new Command('backends')
    .description('list backends and whether each can run here')
    .option('--json', 'print a JSON array of {name, available, reason}')
    .action((o) => backendsCommand(o));
}
