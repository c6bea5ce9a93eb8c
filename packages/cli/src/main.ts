#!/usr/bin/env node
import { runCli } from './cli-run.js';

// On success the process ends by itself once its work is done; an error exits at once, whatever
// handles (timers, worker threads) are still open.
const code = await runCli(process.argv);
if (code !== 0) process.exit(code);
