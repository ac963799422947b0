// Identify first (src/http-catalog/gate.ts) and the non-GET scope (src/http-catalog/fetch.ts), over every signature:
// - an ordinary web server (nginx-like: a welcome page on /, an HTML 404 elsewhere) costs at most 8 requests on the
//   ports the farm uses (80, 8080) and receives only GET/HEAD from every signature and from http-admin;
// - each gated signature's recorded states, served behind an nginx landing page instead of the product's own, are
//   not asked about (none of the signature's paths arrive): the gate really decides;
// - a catch-all that answers every method and path with every product's markers receives only GET/HEAD.
// Loopback only: 127.0.9.1–127.0.9.9, port 0.
import { afterAll, describe, expect, it } from 'vitest';
import httpAdmin from '../../../probes/http-admin.js';
import { signatures } from '../../../signatures/index.js';
import { runCatalog, signatureProbes, signaturesForPort } from '../../../src/http-catalog/index.js';
import { readOnlyMethods } from '../../../src/http-catalog/fetch.js';
import { gated, landingRequest } from '../../../src/http-catalog/gate.js';
import { servedCase, type RecordedReply } from '../../../src/http-catalog/replies.js';
import { defineProbe, type Probe } from '../../../src/probe.js';
import { createHarness } from '../../support/probe-harness.js';
import { startReplayServer } from '../../support/replay-server.js';
import { allReplies, repliesFor } from '../../support/replies.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());

type Answer = Omit<RecordedReply, 'path' | 'method'>;
const src = 'nginx 1.22 defaults (Debian): index.nginx-debian.html on /, the built-in 404 page elsewhere';
const welcome: Answer = {
  status: 200,
  headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' },
  body: '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n',
  source: src,
};
const notFound: Answer = {
  status: 404,
  headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' },
  body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
  source: src,
};
const nginx = (method: string, url: string): Answer => (method === 'GET' && url === '/' ? welcome : notFound);

/** runCatalog over a fixed list of signatures (as http-admin does on a port they name). */
function catalogProbe(id: string, sigs = signatures): Probe {
  return defineProbe({ meta: { ...httpAdmin.meta, id }, run: (t, ctx) => runCatalog(sigs, t, ctx) });
}

async function requestsOf(probe: Probe, served: Parameters<typeof startReplayServer>[2], host: string) {
  const s = await startReplayServer(host, 0, served);
  try {
    const { observation } = await harness.probe(probe.meta.service, s.host, s.port, { probes: [probe] });
    return { observation, requests: [...s.requests] };
  } finally {
    await s.close();
  }
}

const onlyReadOnly = (requests: string[]) => requests.filter((r) => !readOnlyMethods.includes(r.split(' ')[0]!));

describe('an ordinary web server (nginx welcome page, 404 elsewhere)', () => {
  it.each([80, 8080])('http-admin on port %i: at most 8 requests, GET only, not detected', async (port) => {
    const { observation, requests } = await requestsOf(
      catalogProbe(`farm-${port}`, signaturesForPort(port, signatures)),
      nginx,
      '127.0.9.1',
    );
    expect(observation.status, JSON.stringify(observation.evidence)).toBe('not-detected');
    expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(8);
    expect(requests).toContain(landingRequest);
    expect(onlyReadOnly(requests)).toEqual([]);
  });

  it('every signature service and http-admin over the whole catalog: only GET/HEAD arrive', async () => {
    const all: string[] = [];
    for (const probe of [...signatureProbes(signatures), httpAdmin]) all.push(...(await requestsOf(probe, nginx, '127.0.9.2')).requests);
    expect(all.length).toBeGreaterThan(signatures.length);
    expect(onlyReadOnly(all)).toEqual([]);
  });
});

describe('a catch-all that answers every method and path with every product marker', () => {
  const body: Record<string, unknown> = {};
  for (const r of allReplies)
    for (const c of Object.values(r.cases))
      for (const reply of c.replies)
        if (reply.body && typeof reply.body === 'object' && !Array.isArray(reply.body)) Object.assign(body, reply.body);
  const catchAll = (): Answer => ({ status: 200, headers: { 'content-type': 'application/json' }, body, source: 'every marker merged' });
  it('no non-GET request reaches it from any signature or from http-admin', async () => {
    const all: string[] = [];
    for (const probe of [...signatureProbes(signatures), httpAdmin]) all.push(...(await requestsOf(probe, catchAll, '127.0.9.3')).requests);
    expect(all.length).toBeGreaterThan(signatures.length);
    expect(onlyReadOnly(all)).toEqual([]);
  });
});

describe('the gate decides: recorded product states behind an nginx landing page are not asked about', () => {
  const byId = new Map(signatureProbes(signatures).map((p) => [p.meta.id, p]));
  const cases = gated(signatures).flatMap((sig) =>
    Object.entries(repliesFor(sig.id)!.cases).map(([name, c]) => [sig.id, name, sig, c] as const),
  );
  it('some signatures are gated, and every gated one has recorded replies', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  it.each(cases)('%s %s: none of its own paths requested', async (_id, _name, sig, c) => {
    // The product's replies stay on their paths, but / and every other path answer as nginx does.
    const served = { ...c, replies: c.replies.filter((r) => r.path !== '/'), fallback: notFound };
    const withNginx = { ...served, replies: [...served.replies, { ...welcome, path: '/' }] };
    const { observation, requests } = await requestsOf(byId.get(sig.id)!, withNginx, '127.0.9.4');
    const own = sig.requests.map((r) => `${r.method} ${r.path}`).filter((r) => r !== landingRequest);
    expect(
      requests.filter((r) => own.includes(r)),
      requests.join('\n'),
    ).toEqual([]);
    expect(observation.status).toBe('not-detected');
    // And served as the product answers its landing page, the same state is asked about (the replies test checks
    // the verdict).
    const asProduct = await requestsOf(byId.get(sig.id)!, servedCase(repliesFor(sig.id)!, c), '127.0.9.5');
    expect(
      asProduct.requests.some((r) => own.includes(r)),
      asProduct.requests.join('\n'),
    ).toBe(true);
  });
});
