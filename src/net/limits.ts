/** Per-exchange limits every network helper enforces. */
export interface Limits {
  /**
   * Absolute deadline (ms since epoch) for the whole exchange, connect included. It measures the server: time spent
   * on this process's own work is given back with `extendDeadline` (never past `cap`).
   */
  deadline: number;
  /** The latest the deadline may be moved to (ms since epoch); without it, the deadline never moves. */
  cap?: number;
  /** Connect must finish within this many ms (and before `deadline`). */
  connectTimeoutMs: number;
  /** Total bytes read from the peer; more is dropped and flagged. */
  maxBytes: number;
  signal: AbortSignal;
  /** Local address to bind outgoing connections to (the auditor's vantage point). */
  localAddress?: string;
}

export function remaining(limits: Limits): number {
  return Math.max(0, limits.deadline - Date.now());
}

/** Moves the deadline `ms` later, never past `limits.cap` (without a cap it stays where it is). */
export function extendDeadline(limits: Limits, ms: number): void {
  if (limits.cap === undefined || !(ms > 0)) return;
  limits.deadline = Math.min(limits.cap, Math.max(limits.deadline, limits.deadline + ms));
}

/**
 * Time a server's body earns: each byte received buys the time it takes at this floor rate (16 KiB/s, a slow
 * 128 kbit/s link). A server streaming a large listing keeps its deadline while bytes flow (64 KiB, one socket
 * read, earns 4 s), however long this process, or a loaded machine, takes to read and parse them beside other
 * endpoints; a peer dripping a byte at a time earns nothing worth having (5 bytes/s: 0.3 ms a second), and the
 * byte cap and `cap` bound what any peer can earn.
 */
export const creditBytesPerMs = 16;

/** A generous bound on what credit can add: the deadline never moves past start + this many × the timeout. */
export const deadlineCapFactor = 10;
