// The task families the command line supports. Each is one folder and one line here; the
// commands find them through the registry (registry.ts), never by name.
import { registerCliFamily } from './registry.js';
import { dynamicsCli } from './dynamics/adapter.js';
import { languageCli } from './language/adapter.js';
import { omniglotCli } from './omniglot/adapter.js';
import { sinusoidCli } from './sinusoid/adapter.js';

registerCliFamily(sinusoidCli);
registerCliFamily(omniglotCli);
registerCliFamily(languageCli);
registerCliFamily(dynamicsCli);
