import { addressValue } from '../net/address-value.js';
import { noServiceCounts, noServicePorts, type NoServiceHost } from './no-service.js';

/** Consecutive hosts with the same no-service row, as one: `127.0.4.0 – 127.0.7.255` (1,024 hosts). */
export interface HostRun {
  first: string;
  last: string;
  hosts: number;
  /** "3 closed" (per host) */
  counts: string;
  /** "6379, 8123, 9200" */
  ports: string;
}

/**
 * Groups the no-service rows of consecutive addresses (each one more than the one before, in the order met) whose
 * counts and ports read the same: a /22 where every address has "3 closed" on the same ports is one row, not 1,024.
 * Host names, gaps and differing rows start a new run. Streams: holds one run at a time.
 */
export function* hostRuns(hosts: Iterable<NoServiceHost>): Generator<HostRun> {
  let run: (HostRun & { end: { v6: boolean; n: bigint } | undefined }) | undefined;
  for (const h of hosts) {
    const counts = noServiceCounts(h);
    const ports = noServicePorts(h);
    const at = addressValue(h.host);
    if (run && run.end && at && at.v6 === run.end.v6 && at.n === run.end.n + 1n && counts === run.counts && ports === run.ports) {
      run.last = h.host;
      run.hosts++;
      run.end = at;
      continue;
    }
    if (run) yield strip(run);
    run = { first: h.host, last: h.host, hosts: 1, counts, ports, end: at };
  }
  if (run) yield strip(run);
}

const strip = ({ end: _end, ...r }: HostRun & { end: unknown }): HostRun => r;
