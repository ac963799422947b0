// The two-phase engine on plain loopback (no firewall needed): refused ports are decided in the connect phase
// without any probe running, only accepting endpoints are probed, --rate paces connects, and a connect window of
// one still finishes every endpoint.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/engine/audit.js';
import { defineProbe } from '../../../src/probe.js';
import type { Endpoint } from '../../../src/types.js';
import { closedPort, startRaw } from '../../support/fake-servers.js';
import { resolveRunConfig } from '../../../src/domain/run-config.js';
import { fakeProbeMeta } from '../../support/fake-probe.js';

const HOST = '127.0.0.131';
const ep = (port: number): Endpoint => ({
  host: HOST,
  port,
  service: 'fake',
  asset: HOST,
  declaredHost: HOST,
  labels: {},
  source: { file: 'i.yaml', line: 1, column: 1 },
});
const base = resolveRunConfig({ timeoutMs: 500, connectTimeoutMs: 1000, concurrency: 8, perHostConcurrency: 8, maxBytes: 4096 });

function countingProbe() {
  const probed: number[] = [];
  const probe = defineProbe({
    meta: fakeProbeMeta('count', 'nothing'),
    async run(target, ctx) {
      probed.push(target.port);
      const s = await ctx.tcp();
      s.close();
      return { status: 'not-detected', evidence: {}, facts: {} };
    },
  });
  return { probe, probed };
}

describe('two-phase engine', () => {
  it('refused → closed from the connect phase (no probe runs); accepted → probed', async () => {
    const listener = await startRaw(HOST, { kind: 'silent' });
    try {
      const refused = await closedPort(HOST);
      const { probe, probed } = countingProbe();
      const run = await runAudit([ep(refused), ep(listener.port)], { ...base, probes: [probe] });
      expect(run.results.map((r) => r.status)).toEqual(['closed', 'not-detected']);
      expect(run.results[0]).toMatchObject({
        probe: 'count',
        error: { code: 'EA_REFUSED' },
        evidence: { requests: [], notes: ['failed during connect'] },
      });
      expect(probed).toEqual([listener.port]);
    } finally {
      await listener.close();
    }
  });

  it('--rate spaces connect starts: n endpoints take at least (n - 1) / rate seconds', async () => {
    const refused = await closedPort(HOST);
    const n = 11;
    const rate = 50;
    const t0 = performance.now();
    const run = await runAudit(
      Array.from({ length: n }, () => ep(refused)),
      { ...base, rate, probes: [countingProbe().probe] },
    );
    // A lower bound only (pacing can only slow the run down): 10 gaps of 20 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(((n - 1) / rate) * 1000 - 5);
    expect(run.results.every((r) => r.status === 'closed')).toBe(true);
  });

  it('a connect window of one still finishes every endpoint, in inventory order in the results', async () => {
    const refused = await closedPort(HOST);
    const order: number[] = [];
    const run = await runAudit(
      Array.from({ length: 20 }, () => ep(refused)),
      { ...base, connectConcurrency: 1, probes: [countingProbe().probe], onResult: (_r, _d, _t, i) => order.push(i) },
    );
    expect(run.results).toHaveLength(20);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
