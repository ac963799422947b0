import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import httpAdmin, { baselineRequest } from '../../../probes/http-admin.js';
import { outOfDate } from '../../../scripts/gen-outputs.js';
import { renderSignatureIndex, signatureFiles } from '../../../scripts/gen-signatures.js';
import { signatures as listed } from '../../../signatures/index.js';
import { catalogPorts, catalogTlsPorts, signatureProbes, signaturesForPort as forPort } from '../../../src/http-catalog/index.js';
import { defineSignature, requestLine, signatureProblems, type Signature } from '../../../src/http-catalog/signature.js';
import { probes } from '../../../src/cli/registry.js';
import { repliesFor } from '../../support/replies.js';

const signatures: readonly Signature[] = listed;
const files = readdirSync(new URL('../../../signatures/', import.meta.url)).filter(
  (f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.replies.ts'),
);
const signaturesForPort = (port: number) => forPort(port, signatures);

const minimal: Signature = {
  id: 'example',
  product: 'Example',
  defaultPorts: [1234],
  requests: [{ id: 'status', method: 'GET', path: '/status' }],
  positive: [{ on: 'status', status: [200], json: ['version'], shows: 'status' }],
  auth: [{ on: 'status', status: [401], shows: '401' }],
  severity: 'low',
  exposure: 'shows the status',
  remediation: 'restrict the status endpoint to the admin network',
  references: ['https://example.org/docs'],
};

describe('HTTP admin catalog', () => {
  it('every file in signatures/ is listed in the index, under its file name', () => {
    expect(signatures.map((s) => `${s.id}.ts`).sort(), outOfDate('signatures/index.ts')).toEqual(files.sort());
  });

  it('signatures/index.ts equals the output of scripts/gen-signatures.ts (npm run gen)', () => {
    const committed = readFileSync(new URL('../../../signatures/index.ts', import.meta.url), 'utf8');
    expect(committed, outOfDate('signatures/index.ts')).toBe(
      renderSignatureIndex(signatureFiles(new URL('../../../signatures/', import.meta.url))),
    );
  });

  it('has at least 25 products, with unique ids', () => {
    expect(signatures.length).toBeGreaterThanOrEqual(25);
    expect(new Set(signatures.map((s) => s.id)).size).toBe(signatures.length);
  });

  it.each(signatures.map((s) => [s.id, s] as const))('%s: valid, sourced, and read-only', (_id, s) => {
    expect(signatureProblems(s)).toEqual([]);
    expect(s.references.length).toBeGreaterThan(0);
    for (const r of s.requests) {
      expect(['GET', 'HEAD', 'POST']).toContain(r.method);
      if (r.method === 'POST') expect(r.justification?.length).toBeGreaterThan(20);
    }
  });

  it.each(signatures.map((s) => [s.id] as const))('%s: has recorded replies (exposed and secured cases, each reply sourced)', (id) => {
    const r = repliesFor(id);
    expect(r).toBeDefined();
    expect(Object.keys(r!.cases)).toEqual(expect.arrayContaining(['exposed', 'secured']));
    for (const c of Object.values(r!.cases)) for (const reply of c.replies) expect(reply.source.length).toBeGreaterThan(10);
  });

  it('each signature is a service of its own: one probe, id and service = the signature id, its ports and TLS ports', () => {
    const sp = signatureProbes(signatures);
    expect(sp.map((p) => p.meta.id)).toEqual(signatures.map((s) => s.id));
    for (const [i, p] of sp.entries()) {
      const s = signatures[i]!;
      expect(p.meta.service).toBe(s.id);
      expect(p.meta.defaultPorts).toEqual(s.defaultPorts);
      expect(p.meta.tlsPorts ?? []).toEqual(s.tlsPorts ?? []);
      expect(p.meta.sends[0]!.request).toBe(baselineRequest);
      for (const r of s.requests) expect(p.meta.sends.map((x) => x.request)).toContain(requestLine(r).replace(/\{name\}/g, '<name>'));
      // Exactly this product's requests: a signature service never sends another product's paths.
      // The landing page (GET /) only for a signature gated on it (identify first).
      if (typeof s.identify === 'object') expect(p.meta.sends.map((x) => x.request)).toContain('GET /');
      const landing = typeof s.identify === 'object' ? 1 : 0;
      expect(p.meta.sends.length).toBeLessThanOrEqual(1 + landing + s.requests.length + 2 * (s.measure?.length ?? 0));
    }
    // The registry holds them, and no signature id collides with another probe or service.
    for (const p of sp) expect(probes.filter((q) => q.meta.id === p.meta.id || q.meta.service === p.meta.service)).toHaveLength(1);
  });

  it('the probe declares every request of every signature, plus the random-path baseline', () => {
    expect(httpAdmin.meta.sends[0]!.request).toBe(baselineRequest);
    for (const s of signatures)
      for (const r of s.requests)
        expect(httpAdmin.meta.sends.map((x) => x.request)).toContain(requestLine(r).replace(/\{name\}/g, '<name>'));
    expect(httpAdmin.meta.defaultPorts).toEqual(catalogPorts(signatures));
    expect(httpAdmin.meta.tlsPorts).toEqual(catalogTlsPorts(signatures));
    expect(httpAdmin.meta.tlsPorts).toEqual([443, 2376, 2746, 6443, 9443, 10250]);
    expect(httpAdmin.meta.service).toBe('http');
    // Not expanded by default: every port it would take is a signature service's (a port is audited once per product).
    expect(httpAdmin.meta.defaultExpansion).toBe(false);
  });

  it('picks signatures by port, and all of them on a port none names', () => {
    expect(signaturesForPort(9090).map((s) => s.id)).toEqual(['prometheus']);
    expect(signaturesForPort(8080).map((s) => s.id)).toContain('jenkins');
    expect(signaturesForPort(8080).map((s) => s.id)).not.toContain('prometheus');
    expect(signaturesForPort(45678)).toHaveLength(signatures.length);
  });

  it('only etcd, Milvus (RESTful v2 listing) and TGI (empty-body /tokenize) POST, and never to member/list (it answers with auth on)', () => {
    const posts = signatures.flatMap((s) => s.requests.filter((r) => r.method === 'POST').map((r) => `${s.id} ${r.path}`));
    expect(posts.sort()).toEqual(['etcd /v3/kv/range', 'milvus /v2/vectordb/collections/list', 'tgi /tokenize']);
    expect(httpAdmin.meta.sends.map((x) => x.request).join('\n')).not.toMatch(/member\/list/);
  });

  it('the validator accepts a minimal signature', () => {
    expect(() => defineSignature(minimal)).not.toThrow();
  });

  it.each([
    ['a POST without a justification', { requests: [{ id: 'status', method: 'POST', path: '/status', body: '{}' }] }, /justification/],
    [
      'a script console submission',
      { requests: [{ id: 'status', method: 'POST', path: '/script', body: 'x', justification: 'this is not read-only at all, refused' }] },
      /forbidden/,
    ],
    ['a heap dump download', { requests: [{ id: 'status', method: 'GET', path: '/actuator/heapdump' }] }, /forbidden/],
    ['a CPU profile', { requests: [{ id: 'status', method: 'GET', path: '/debug/pprof/profile?seconds=30' }] }, /forbidden/],
    ['a status-only positive (any catch-all matches)', { positive: [{ on: 'status', status: [200], shows: 'x' }] }, /body, JSON or header/],
    ['a matcher on an unknown request', { positive: [{ on: 'nope', status: [200], json: ['v'], shows: 'x' }] }, /unknown request/],
    ['a stateful /g pattern', { positive: [{ on: 'status', body: [/x/g], shows: 'x' }] }, /\/g/],
    ['no auth signal', { auth: [] }, /auth-required signal/],
    ['no sources', { references: [] }, /reference/],
    ['a method other than GET/HEAD/POST', { requests: [{ id: 'status', method: 'DELETE', path: '/status' }] }, /method/],
  ] as const)('the validator rejects %s', (_what, patch, message) => {
    expect(() => defineSignature({ ...minimal, ...(patch as unknown as Partial<Signature>) })).toThrow(message);
  });
});
