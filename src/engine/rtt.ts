import net from 'node:net';

/**
 * Adaptive connect timeouts, as nmap and TCP itself (RFC 6298) do: a smoothed round-trip time and its variation
 * from the connects that got an answer (accepted or refused), and a timeout of srtt + 4 × rttvar, kept within a
 * floor and the user's --connect-timeout (the cap). A LAN fleet that answers in a millisecond then calls a dropped
 * SYN filtered after the floor, not after the cap.
 */

/**
 * Lowest adaptive timeout. nmap -T4 uses the same --min-rtt-timeout (100 ms). Below it, what decides is not the
 * network but this process: with thousands of sockets in flight the event loop notices an answer some milliseconds
 * late, and a busy machine (2 cores shared here) adds tens. It decides when the connect phase sends a parallel
 * connect (a hedge) and the margin after the kernel's SYN retransmission, never alone that an endpoint is
 * filtered: that takes a wait past the retransmission (connect-phase.ts).
 */
export const defaultFloorMs = 100;
/** Samples a scope needs before its estimate is used: one answer could be a fluke (a cached neighbour, a stall). */
export const defaultMinSamples = 3;
/**
 * Floor for an endpoint whose network and declared target have no answer yet, timed from the whole run's answers
 * (nmap keeps run-wide timing for hosts without their own the same way): nmap -T4's --initial-rtt-timeout. A LAN's
 * estimate must not call a distant network's 150 ms answers filtered; a whole firewalled CIDR must not cost the cap
 * twice per endpoint either.
 */
export const defaultUnmeasuredFloorMs = 500;

/** RFC 6298 section 2 smoothing (alpha = 1/8, beta = 1/4), in milliseconds. */
export class RttEstimator {
  srtt = 0;
  rttvar = 0;
  samples = 0;

  add(rttMs: number): void {
    const r = Math.max(0, rttMs);
    if (this.samples === 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.samples++;
  }

  /** srtt + 4 × rttvar (RFC 6298's RTO with a clock granularity of zero). */
  timeout(): number {
    return this.srtt + 4 * this.rttvar;
  }
}

/** The network an address belongs to, for timing purposes: its /24 (IPv4) or /64 (IPv6). */
export function networkOf(host: string): string {
  if (net.isIPv4(host)) return host.slice(0, host.lastIndexOf('.'));
  if (net.isIPv6(host)) {
    // Expand `::` so that the first four groups are the /64.
    const [head = '', tail] = host.toLowerCase().split('::');
    const groups = head ? head.split(':') : [];
    if (tail !== undefined) while (groups.length < 4) groups.push('0');
    return groups.slice(0, 4).join(':');
  }
  return host;
}

export interface ConnectTimeoutOptions {
  /** The user's --connect-timeout: never exceeded, and used until a scope has enough samples. */
  capMs: number;
  floorMs?: number;
  /** Floor when only the run-wide estimate exists (default 500 ms). */
  unmeasuredFloorMs?: number;
  minSamples?: number;
}

/**
 * Per-scope estimators: the endpoint's network (/24 or /64), then the target it was declared under (a firewalled
 * CIDR whose few live hosts answered), then the whole run (with a higher floor), then the cap. Scopes are few (one
 * per /24 and per declaration), never one per endpoint.
 */
export class ConnectTimeouts {
  readonly capMs: number;
  readonly floorMs: number;
  readonly minSamples: number;
  readonly unmeasuredFloorMs: number;
  readonly #all = new RttEstimator();
  readonly #networks = new Map<string, RttEstimator>();
  readonly #targets = new Map<string, RttEstimator>();

  constructor(opts: ConnectTimeoutOptions) {
    this.capMs = opts.capMs;
    this.floorMs = Math.min(opts.floorMs ?? defaultFloorMs, opts.capMs);
    this.minSamples = opts.minSamples ?? defaultMinSamples;
    this.unmeasuredFloorMs = Math.min(Math.max(opts.unmeasuredFloorMs ?? defaultUnmeasuredFloorMs, this.floorMs), opts.capMs);
  }

  /** One answered connect (accepted or refused) to `network` (networkOf), declared under `target`, after `rttMs`. */
  sample(network: string, target: string, rttMs: number): void {
    this.#all.add(rttMs);
    for (const [map, key] of [
      [this.#networks, network],
      [this.#targets, target],
    ] as const) {
      let e = map.get(key);
      if (!e) map.set(key, (e = new RttEstimator()));
      e.add(rttMs);
    }
  }

  /** The connect timeout for an endpoint in `network` declared under `target`, now. */
  timeoutFor(network: string, target: string): number {
    const e = this.#usable(this.#networks.get(network)) ?? this.#usable(this.#targets.get(target));
    if (e) return Math.min(this.capMs, Math.max(this.floorMs, Math.ceil(e.timeout())));
    const all = this.#usable(this.#all);
    if (all) return Math.min(this.capMs, Math.max(this.unmeasuredFloorMs, Math.ceil(all.timeout())));
    return this.capMs;
  }

  #usable(e: RttEstimator | undefined): RttEstimator | undefined {
    return e && e.samples >= this.minSamples ? e : undefined;
  }
}
