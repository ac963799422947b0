import { auditDefaults } from '../../src/engine/audit.js';
import { probeEndpoint } from '../../src/engine/run-probe.js';
import { HttpClient } from '../../src/net/http.js';
import type { Probe } from '../../src/probe.js';
import { probes } from '../../src/cli/registry.js';
import type { Endpoint, Observation } from '../../src/types.js';

export interface HarnessOptions {
  timeoutMs?: number;
  maxBytes?: number;
  sourceAddress?: string;
  probes?: readonly Probe[];
  /** Opt-in sampling (--sample N). */
  sampleRows?: number;
}

/** Runs the engine's per-endpoint path (candidate probes, TLS retry, error mapping) against one endpoint. */
export function createHarness(defaults: HarnessOptions = {}) {
  const http = new HttpClient({ connectTimeoutMs: 1000, ...(defaults.sourceAddress ? { localAddress: defaults.sourceAddress } : {}) });
  return {
    async probe(
      service: string,
      host: string,
      port: number,
      opts: HarnessOptions = {},
    ): Promise<{ probe: string; observation: Observation; ms: number }> {
      const o = { ...defaults, ...opts };
      const endpoint: Endpoint = {
        host,
        port,
        service,
        asset: host,
        declaredHost: host,
        labels: {},
        source: { file: 't.yaml', line: 1, column: 1 },
      };
      const t0 = performance.now();
      const client =
        o.sourceAddress && o.sourceAddress !== defaults.sourceAddress
          ? new HttpClient({ connectTimeoutMs: 1000, localAddress: o.sourceAddress })
          : http;
      try {
        const r = await probeEndpoint(o.probes ?? probes, endpoint, {
          timeoutMs: o.timeoutMs ?? 2000,
          connectTimeoutMs: 1000,
          maxBytes: o.maxBytes ?? auditDefaults.maxBytes,
          caps: auditDefaults.caps,
          signal: new AbortController().signal,
          http: client,
          ...(o.sourceAddress ? { sourceAddress: o.sourceAddress } : {}),
          ...(o.sampleRows ? { sampleRows: o.sampleRows } : {}),
        });
        return { ...r, ms: performance.now() - t0 };
      } finally {
        if (client !== http) await client.close();
      }
    },
    close: () => http.close(),
  };
}
