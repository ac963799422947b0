// CPU hogs for `npm run bench`: two CPU-bound processes (`node -e 'for(;;);'`) beside a measured run, as a loaded
// machine or CI runner would be. Started as children of this process and stopped by pid, never by name.
import { spawn, type ChildProcess } from 'node:child_process';

/** Starts `n` CPU-bound processes; stop them with stopProcesses. */
export function startHogs(n = 2): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
}

/** SIGKILL to each child still running, by its pid. */
export function stopProcesses(children: readonly ChildProcess[]): void {
  for (const c of children) if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
}
