// The generic catalog test: every case of every signatures/<id>.replies.ts, replayed on loopback, through the
// product's own service probe (signatureProbes) AND the http-admin probe; a JSON catch-all that carries every
// product's markers lights nothing; no request sent is forbidden or undeclared. Adding a product = its signature
// and its replies: this file picks both up. Addresses 127.0.0.120–127.0.0.129, port 0.
import { afterAll, describe, expect, it } from 'vitest';
import httpAdmin from '../../../probes/http-admin.js';
import { signatures } from '../../../signatures/index.js';
import { isForbiddenRequest, signatureProbes } from '../../../src/http-catalog/index.js';
import { repliesProblems, servedCase, type RepliesCase } from '../../../src/http-catalog/replies.js';
import type { Probe } from '../../../src/probe.js';
import type { Observation } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startReplayServer } from '../../support/replay-server.js';
import { allReplies, repliesFiles } from '../../support/replies.js';
import { isDeclared } from '../../../src/probe.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());

const byId = new Map(signatureProbes(signatures).map((p) => [p.meta.id, p]));
const received: Array<{ probe: Probe; request: string }> = [];

async function run(probe: Probe, served: Parameters<typeof startReplayServer>[2], host: string): Promise<Observation> {
  const s = await startReplayServer(host, 0, served);
  try {
    const { observation } = await harness.probe(probe.meta.service, s.host, s.port, { probes: [probe] });
    return observation;
  } finally {
    received.push(...s.requests.map((request) => ({ probe, request })));
    await s.close();
  }
}

function expectCase(o: Observation, c: RepliesCase, probe: Probe): void {
  const detail = JSON.stringify({ probe: probe.meta.id, evidence: o.evidence, facts: o.facts }, null, 1);
  expect(o.status, detail).toBe(c.expect);
  expect(Boolean(o.unclaimed), detail).toBe(Boolean(c.unclaimed));
  expect(o.leaks?.length ?? 0, detail).toBe(c.leaks ?? 0);
  expect(o.data?.items.length ?? 0, detail).toBe(c.data?.items ?? 0);
  for (const r of o.evidence.requests) expect(isDeclared(probe.meta.sends, r), `${r} not in ${probe.meta.id}'s sends`).toBe(true);
  if (c.expect === 'exposed') {
    expect(o.assessment?.severity, detail).toMatch(/^(critical|high|medium|low|info)$/);
    expect(o.facts.severity).toBeUndefined();
  }
}

describe('recorded replies: the folder is the registry', () => {
  it('every signature has a replies file and every replies file names its signature', () => {
    expect(repliesFiles).toEqual(signatures.map((s) => `${s.id}.replies.ts`).sort());
    for (const [i, r] of allReplies.entries()) expect(`${r.signature}.replies.ts`).toBe(repliesFiles[i]);
  });

  it.each(allReplies.map((r) => [r.signature, r] as const))(
    '%s: valid, sourced, with an exposed (or public) and a secured case',
    (_id, r) => {
      expect(repliesProblems(r)).toEqual([]);
      const expects = Object.values(r.cases).map((c) => c.expect);
      expect(expects).toContain('auth-required');
      expect(expects.some((e) => e === 'exposed' || e === 'not-detected')).toBe(true);
    },
  );
});

describe('recorded replies: each case via the signature service and via http-admin', () => {
  for (const r of allReplies) {
    const probe = byId.get(r.signature)!;
    for (const [name, c] of Object.entries(r.cases)) {
      it(`${r.signature} ${name} → ${c.expect} (service ${r.signature})`, async () => {
        expect(probe.meta.service).toBe(r.signature);
        expectCase(await run(probe, servedCase(r, c), '127.0.0.120'), c, probe);
      });
      it(`${r.signature} ${name} → ${c.expect} (http-admin, every signature)`, async () => {
        expectCase(await run(httpAdmin, servedCase(r, c), '127.0.0.121'), c, httpAdmin);
      });
    }
  }
});

/** Every JSON object an exposed case replies with, merged: every product's markers on every path. */
function everyMarker(): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const r of allReplies) {
    for (const c of Object.values(r.cases)) {
      for (const reply of c.replies) {
        if (reply.body && typeof reply.body === 'object' && !Array.isArray(reply.body)) Object.assign(all, reply.body);
      }
    }
  }
  return all;
}

describe('a JSON catch-all (200 application/json with every product marker, on every path) lights nothing', () => {
  const body = everyMarker();
  const catchAll = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body, source: 'every marker merged' });
  it("carries many products' markers", () => {
    expect(Object.keys(body).length).toBeGreaterThan(40);
  });
  it.each([...byId.keys()])('service %s: not exposed, no data', async (id) => {
    const probe = byId.get(id)!;
    const o = await run(probe, catchAll, '127.0.0.122');
    expect(o.status).not.toBe('exposed');
    expect(o.unclaimed).toBeUndefined();
    expect(o.data).toBeUndefined();
    expect(o.assessment).toBeUndefined();
  });
  it('http-admin: not exposed, no data', async () => {
    const o = await run(httpAdmin, catchAll, '127.0.0.123');
    expect(o.status, JSON.stringify(o.evidence)).toBe('not-detected');
    expect(o.data).toBeUndefined();
  });
});

describe('what the replay servers received', () => {
  it('no forbidden request, and each one declared by the probe that sent it', () => {
    expect(received.length).toBeGreaterThan(200);
    for (const { probe, request } of received) {
      expect(isForbiddenRequest(request), request).toBe(false);
      expect(isDeclared(probe.meta.sends, request), `${request} (${probe.meta.id})`).toBe(true);
      expect(request).toMatch(/^(GET|HEAD|POST) \//);
    }
  });
});
