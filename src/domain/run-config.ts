/**
 * One resolved, frozen run configuration: the command line wins, then the inventory's `defaults:`, then the
 * defaults below (their one home). The CLI resolves it once; the engine takes it whole (runAudit) and hands each
 * probe attempt its slice (probeConfig), so no option is copied field by field between layers.
 */

/** The built-in defaults. The CLI's help text and `exposure-audit init`'s comments quote these. */
export const runDefaults = Object.freeze({
  /** Deadline for one probe attempt on one endpoint, connect included. */
  timeoutMs: 3_000,
  connectTimeoutMs: 2_000,
  /** Probe phase: endpoints probed at once, and at once per host. */
  concurrency: 64,
  perHostConcurrency: 8,
  /** Byte cap per probe attempt. */
  maxBytes: 1024 * 1024,
  /** Most items and fields per listing a probe keeps (src/engine/bound.ts). */
  caps: Object.freeze({ items: 500, fields: 200 }),
});

export interface RunConfig {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly concurrency: number;
  readonly perHostConcurrency: number;
  readonly maxBytes: number;
  readonly caps: Readonly<{ items: number; fields: number }>;
  /** Connect phase: connects in flight (default: from the open-files limit, net/fd-limit.ts). */
  readonly connectConcurrency?: number;
  /** Connect phase: connects started per second, at most (default unlimited). */
  readonly rate?: number;
  /** Local address every connection is made from (--source-address). */
  readonly sourceAddress?: string;
  /** Opt-in: rows/documents/values read per sensitive-looking source (--sample N). */
  readonly sampleRows?: number;
  /** Opt-in: each product's documented default credential, tried once (--try-default-credentials). */
  readonly tryDefaultCredentials?: boolean;
  /**
   * Endpoints (domain/finding.ts endpointKey) that open findings of the state file or the --baseline sit on. When
   * one of them ends the main pass with a verdict that proves nothing (filtered, timeout, error), it is probed again
   * with the full timeout before its verdict is reported (engine/recheck.ts).
   */
  readonly knownExposures?: ReadonlySet<string>;
}

/** What the command line set (undefined = not given). */
export type RunFlags = Partial<Omit<RunConfig, 'caps'>>;

/** The inventory's `defaults:` that tune a run (durations already in ms). */
export interface RunInventoryDefaults {
  timeout?: number | undefined;
  connectTimeout?: number | undefined;
  concurrency?: number | undefined;
  perHostConcurrency?: number | undefined;
  maxBytes?: number | undefined;
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== false)) as T;

/** The command line, else the inventory, else runDefaults; frozen. Opt-ins absent from the flags stay absent. */
export function resolveRunConfig(flags: RunFlags = {}, inventory: RunInventoryDefaults = {}): RunConfig {
  return Object.freeze<RunConfig>({
    ...runDefaults,
    ...defined<RunFlags>({
      timeoutMs: inventory.timeout,
      connectTimeoutMs: inventory.connectTimeout,
      concurrency: inventory.concurrency,
      perHostConcurrency: inventory.perHostConcurrency,
      maxBytes: inventory.maxBytes,
    }),
    ...defined(flags),
  });
}

/** The fields one probe attempt reads: the engine's ProbeRunOptions take exactly these from the run. */
const probeKeys = ['timeoutMs', 'connectTimeoutMs', 'maxBytes', 'caps', 'sampleRows', 'tryDefaultCredentials', 'sourceAddress'] as const;
export type ProbeConfig = Pick<RunConfig, (typeof probeKeys)[number]>;

/** The probe attempt's slice of the run configuration (absent opt-ins stay absent). */
export function probeConfig(c: RunConfig): ProbeConfig {
  return defined(Object.fromEntries(probeKeys.map((k) => [k, c[k]]))) as ProbeConfig;
}
