#!/usr/bin/env node
// The entry point. Its first statement installs the signal handlers (signals.ts imports nothing); only then are the
// CLI's modules loaded, so a Ctrl-C during start-up is an interrupted run with a report, not a killed process.
// Installed, this file runs as dist/src/cli/bin.cjs (scripts/bundle-bin.ts): the same code as CommonJS with the
// start-up path (main, the command definitions, commander) in one file — Node's ESM loader then costs nothing for
// --help and --version — and what a command runs loaded on demand from dist/src/cli/lazy/, one split build of
// every module the start-up path imports dynamically.
import { boundHeapGrowth } from './heap.js';
import { installSignalHandlers } from './signals.js';

const controller = installSignalHandlers();
boundHeapGrowth();
// No top-level await: the CommonJS build has none. A rejection here is a bug, and Node reports it (exit 1).
void import('./main.js').then(async ({ runCli, finishProcess }) => finishProcess(await runCli(controller)));
