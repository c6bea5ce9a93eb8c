// The CLI's test set-up: what vitest-setup.ts does (tfjs's banner and debug checks off), without
// importing core's sources into every test file. Most of the CLI's test files only start the
// built binary, and that import cost about 2.5 s of set-up per file; a test that computes in its
// own process imports CLI modules, which import all of core (its gradients and backends).
// tfjs-core's environment is process-wide: core reaches the same CommonJS main.
import { env } from '@tensorflow/tfjs-core';

env().set('PROD', true);
