// The run's first HTTP probe waits for the HTTP client to load (undici: ~110 ms idle, a second on a loaded machine):
// that wait is this process's, so the endpoint's deadline starts after it — a probe that checks its time left
// (Elasticsearch skips its metadata requests when little is left) must see the whole --timeout. In-process: the
// stand-in probe sends nothing, and the client's readiness is a timer.
import { describe, expect, it } from 'vitest';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import type { HttpClient } from '../../../src/net/http.js';
import { remaining } from '../../../src/net/limits.js';
import type { Probe } from '../../../src/probe.js';
import type { Endpoint } from '../../../src/types.js';
import { fakeProbeMeta } from '../../support/fake-probe.js';

const LOAD_MS = 400;
const TIMEOUT_MS = 1000;

function probeSeeing(transport: 'tcp' | 'http', seen: number[]): Probe {
  return {
    meta: { ...fakeProbeMeta(`fake-${transport}`, 'nothing'), transport },
    run: async (_target, ctx) => {
      seen.push(remaining(ctx.limits));
      return { status: 'not-detected', evidence: { notes: [] }, facts: {} };
    },
  };
}

const endpoint: Endpoint = {
  host: '127.0.0.1',
  port: 1,
  service: 'fake',
  asset: 'a',
  declaredHost: '127.0.0.1',
  labels: {},
  source: { file: 't.yaml', line: 1, column: 1 },
};

async function timeLeftAtStart(transport: 'tcp' | 'http'): Promise<{ left: number; readied: number }> {
  let readied = 0;
  const http = {
    ready: () => (readied++, new Promise<void>((r) => setTimeout(r, LOAD_MS))),
  } as unknown as HttpClient;
  const seen: number[] = [];
  await probeEndpoint([probeSeeing(transport, seen)], endpoint, {
    timeoutMs: TIMEOUT_MS,
    connectTimeoutMs: TIMEOUT_MS,
    maxBytes: auditDefaults.maxBytes,
    caps: auditDefaults.caps,
    signal: new AbortController().signal,
    http,
  });
  return { left: seen[0]!, readied };
}

describe('the HTTP client loads before an endpoint deadline starts', () => {
  it('an HTTP probe sees the whole timeout, however long the client took to load', async () => {
    const { left, readied } = await timeLeftAtStart('http');
    expect(readied).toBe(1);
    // The load took LOAD_MS; with it inside the deadline the probe would see at most TIMEOUT_MS - LOAD_MS.
    expect(left).toBeGreaterThan(TIMEOUT_MS - LOAD_MS);
  });

  it('a TCP probe never waits for it', async () => {
    const { readied } = await timeLeftAtStart('tcp');
    expect(readied).toBe(0);
  });
});
