import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import elasticsearch from '../../../probes/elasticsearch.js';
import { auditDefaults, runAudit } from '../../../src/engine/audit.js';
import { fullListingRows, startEsFleet, type EsFleet } from '../../support/servers/es-fleet.js';
import { endpointFor } from '../../support/render-all.js';

/**
 * Issue 21 part 7, end to end: 64 prompt, well-formed Elasticsearch servers (test/support/servers/es-fleet.ts, a child
 * process of their own) answering large `_cat/indices` listings at once, audited at the default concurrency (64)
 * and deadline (3 s). The deadline measures the server: body bytes earn time (net/limits.ts), rows are converted
 * in slices with the event loop free between them, and the parse time is given back to the deadline, so every
 * endpoint is `exposed`, none `timeout`, however long this process takes beside other work.
 *
 * By default 64 × 2,000 rows (280 KB each, fast enough for every run); EA_FLEET=1 runs the full case,
 * 64 × 9,000 rows (1.26 MB each, cut at the 1 MiB byte cap). `npm run bench` measures the full case idle and beside
 * two CPU hogs (scripts/bench/es-fleet.ts). No wall-clock assertion: the audit's verdicts are the outcome.
 */
const full = process.env.EA_FLEET === '1';
let fleet: EsFleet;

beforeAll(async () => {
  fleet = await startEsFleet(full ? fullListingRows : 2_000);
});
afterAll(() => fleet?.stop());

describe('a fleet of large, honest listings', () => {
  it(`64 endpoints with ${full ? '1 MiB' : '280 KB'} _cat/indices each: every one exposed, none timeout`, async () => {
    const t0 = performance.now();
    const run = await runAudit(
      fleet.servers.map((s) => endpointFor(s.host, s.port, 'elasticsearch')),
      {
        ...auditDefaults,
        probes: [{ meta: { ...elasticsearch.meta, defaultPorts: [...new Set(fleet.servers.map((s) => s.port))] }, run: elasticsearch.run }],
      },
    );
    const by: Record<string, number> = {};
    for (const r of run.results) by[r.status] = (by[r.status] ?? 0) + 1;
    console.log(
      `es-fleet: 64 × ${fleet.listingBytes} B listings in ${(performance.now() - t0).toFixed(0)} ms: ${JSON.stringify(by)}; ` +
        `slowest ${Math.max(...run.results.map((r) => r.durationMs))} ms; load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const odd = run.results.find((r) => r.status !== 'exposed');
    expect(odd && { status: odd.status, error: odd.error, requests: odd.evidence.requests }).toBeUndefined();
    expect(by.exposed).toBe(64);
    // Every listing was read and parsed: the count of user indices is the replay's.
    for (const r of run.results) expect(r.facts.indices).toEqual(full ? expect.any(Number) : 2_000);
  }, 300_000);
});
