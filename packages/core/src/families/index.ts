// The task families core ships. Each is one folder and one line here; generic code finds them
// through the registry (registry.ts), never by name.
import { dynamicsFamily } from './dynamics/family.js';
import { languageFamily } from './language/family.js';
import { omniglotFamily } from './omniglot/family.js';
import { registerFamily } from './registry.js';
import { sinusoidFamily } from './sinusoid/family.js';

registerFamily(sinusoidFamily);
registerFamily(omniglotFamily);
registerFamily(languageFamily);
registerFamily(dynamicsFamily);
