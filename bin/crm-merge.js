#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so there is no build step between a clone and a working command.
require('tsx/cjs');
require('../cli/main.ts');
