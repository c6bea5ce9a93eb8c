// Silences tfjs's "install the node backend" banner and its debug-mode checks in every test process.
// tfjs-core itself, not @hypermeta/core: most of the CLI's test files only start the built binary,
// and importing core's sources into each of them cost about 2.5 s of set-up per file. Core reaches
// the same tfjs-core (its CommonJS main), whose environment is process-wide.
import { env } from '@tensorflow/tfjs-core';

env().set('PROD', true);
