import { probeBackends } from '@hypermeta/core';
import '@hypermeta/backend-node';
import '@hypermeta/backend-wasm';
import { tf } from '@hypermeta/core';

export async function backendsCommand(o: { json?: boolean }): Promise<void> {
  tf.env().set('PROD', true);
  const list = (await probeBackends()).map((b) => ({ name: b.name, available: b.available, reason: b.reason ?? null }));
  if (o.json) {
    process.stdout.write(JSON.stringify(list) + '\n');
    return;
  }
  for (const b of list) process.stdout.write(`${b.name.padEnd(5)} ${b.available ? 'available' : `unavailable: ${b.reason}`}\n`);
}
