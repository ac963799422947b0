#!/usr/bin/env node
// The entry point. Its first statement installs the signal handlers (signals.ts imports nothing); only then are the
// CLI's modules loaded, so a Ctrl-C during start-up is an interrupted run with a report, not a killed process.
// Installed, this file runs as dist/src/cli/bin.cjs (scripts/bundle-bin.ts): the same code as CommonJS with the
// start-up path (main, the command definitions, commander) in one file, and what a command runs loaded on demand
// from dist/src — Node's ESM loader then costs nothing for --help and --version.
import { setFlagsFromString } from 'node:v8';
import { installSignalHandlers } from './signals.js';

const controller = installSignalHandlers();
// Memory flat in the endpoint count: a sweep allocates fast and keeps little (about 45 MiB live with 8,192 connects
// in flight), and V8's default growing factor let the heap reach 4x that between full collections (peak RSS 290 MiB
// for 65,536 refused endpoints). Growing by at most 50% over the live size keeps the peak near the live set; full
// collections of a heap this size take 15-30 ms. Read by V8 at every limit computation, so it applies when set here.
setFlagsFromString('--heap-growing-percent=50');
// No top-level await: the CommonJS build has none. A rejection here is a bug, and Node reports it (exit 1).
void import('./main.js').then(async ({ runCli, finishProcess }) => finishProcess(await runCli(controller)));
