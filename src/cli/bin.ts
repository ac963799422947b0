#!/usr/bin/env node
// The entry point. Its first statement installs the signal handlers (signals.ts imports nothing); only then are the
// CLI's modules loaded, so a Ctrl-C during start-up is an interrupted run with a report, not a killed process.
import { boundHeapGrowth } from './heap.js';
import { installSignalHandlers } from './signals.js';

const controller = installSignalHandlers();
boundHeapGrowth();
const { runCli } = await import('./main.js');
process.exitCode = await runCli(controller);
