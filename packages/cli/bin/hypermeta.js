#!/usr/bin/env node
// Committed so that npm can link the `hypermeta` command at install time, before dist/ is built.
import '../dist/main.js';
