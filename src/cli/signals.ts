/**
 * Signal handling, with no import of its own: bin.ts installs it on its first lines, before the CLI's modules load
 * (about 300 ms), so a signal at any moment finds a handler. First SIGINT / SIGTERM / SIGHUP: stop scheduling, let
 * probes in flight end, write the report flagged incomplete (exit 130). A second: exit 130 at once; the `exit`
 * hooks (report/write.ts removeOnExit, the spool, the state lock) remove every temp and spool file.
 */
const g = globalThis as { __exposureAuditController?: AbortController };

export function installSignalHandlers(): AbortController {
  if (g.__exposureAuditController) return g.__exposureAuditController;
  const controller = new AbortController();
  g.__exposureAuditController = controller;
  const stop = () => (controller.signal.aborted ? process.exit(130) : controller.abort());
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
  // Test hook: lets a test signal the process at a known point of start-up (handlers in place, CLI not yet loaded)
  // instead of guessing a delay that a loaded machine turns into "before node started".
  if (process.env.EXPOSURE_AUDIT_SIGNAL_READY === '1') process.stderr.write('exposure-audit: signal handlers installed\n');
  return controller;
}

/** Whether an entry (bin.ts) installed the handlers already. */
export function signalHandlersInstalled(): boolean {
  return g.__exposureAuditController !== undefined;
}
