import { readFileSync } from 'node:fs';

/**
 * The open-files limit this process runs under, and the connect phase's default size from it.
 *
 * Node has no setrlimit, and needs none here: at startup Node itself raises the soft RLIMIT_NOFILE to the hard
 * limit (src/node.cc, PlatformInit: "Raise the open file descriptor limit"). Checked on the project's machines:
 * `ulimit -Sn 1024; node -e …` reads a soft limit of 20000 (= the hard one) in /proc/self/limits. So the soft limit
 * read here is already the highest this process can have without privileges; nothing is spawned.
 */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (!soft) return undefined;
    return soft === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(soft);
  } catch {
    // Not Linux (no /proc): the caller falls back to a fixed default.
    return undefined;
  }
}

/** Descriptors kept back for the probe phase, the HTTP pool, report files and the runtime. */
export const reservedDescriptors = 512;
/** Most connects in flight by default: past this the sweep is no faster (one event loop) and fragile networks suffer. */
export const maxDefaultConnectConcurrency = 8192;
/** When the limit cannot be read. */
export const fallbackConnectConcurrency = 1024;

/**
 * Default connects in flight: half the descriptors left after the reserve, at most 8,192 (the limit of 20,000
 * here gives 8,192; a soft limit of 1,024 gives 256). Each in-flight connect holds one descriptor.
 */
export function defaultConnectConcurrency(limit = openFilesLimit()): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallbackConnectConcurrency;
  return Math.max(16, Math.min(maxDefaultConnectConcurrency, Math.floor((limit - reservedDescriptors) / 2)));
}
