import { describe, it } from 'vitest';
import { useBackend } from '../backend/registry.js';
import '../index.js';
import { conformanceCases } from './index.js';

await useBackend('cpu');
describe('conformance: cpu', () => {
  for (const c of conformanceCases('cpu')) it(c.name, c.run);
});
