// "Busy, try later" in the HTTP catalog (issue 21 part 1): 429, or 503 with Retry-After, is `error` EA_BUSY — could
// not test, never `not-detected` — unless the replies already prove the product and the absence of credentials
// (exposed) or that credentials are demanded. Loopback only: 127.0.9.21, port 0.
import { afterAll, describe, expect, it } from 'vitest';
import { signatures } from '../../../signatures/index.js';
import { signatureProbe } from '../../../src/http-catalog/index.js';
import type { RecordedReply } from '../../../src/http-catalog/replies.js';
import { createHarness } from '../../support/probe-harness.js';
import { startReplayServer } from '../../support/replay-server.js';
import { repliesFor } from '../../support/replies.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());

type Answer = Omit<RecordedReply, 'path' | 'method'>;
const tooMany: Answer = {
  status: 429,
  headers: { 'retry-after': '5', 'content-type': 'text/plain' },
  body: 'Too Many Requests',
  source: 'RFC 6585 §4',
};
const unavailable: Answer = {
  status: 503,
  headers: { 'retry-after': '30', 'content-type': 'text/html' },
  body: '<h1>503 Service Unavailable</h1>',
  source: 'RFC 9110 §15.6.4 with Retry-After (§10.2.3)',
};
const prometheus = signatures.find((s) => s.id === 'prometheus')!;

async function observe(answer: (method: string, url: string) => Answer) {
  const s = await startReplayServer('127.0.9.21', 0, answer);
  try {
    return (await harness.probe(prometheus.id, s.host, s.port, { probes: [signatureProbe(prometheus)] })).observation;
  } finally {
    await s.close();
  }
}

describe('busy replies in the catalog', () => {
  it.each([
    ['429 on every path', tooMany],
    ['503 with Retry-After on every path', unavailable],
  ])('%s: error EA_BUSY, never not-detected', async (_name, answer) => {
    const o = await observe(() => answer);
    expect(o.status).toBe('error');
    expect(o.error?.code).toBe('EA_BUSY');
  });

  it('busy only on the product paths (the random path is a plain 404): still EA_BUSY', async () => {
    const o = await observe((_m, url) => (url.startsWith('/ea-') ? { status: 404, body: 'not found', source: 'plain 404' } : tooMany));
    expect(o.error?.code).toBe('EA_BUSY');
  });

  it('a 503 without Retry-After is an ordinary reply (not detected here)', async () => {
    const o = await observe(() => ({ ...unavailable, headers: { 'content-type': 'text/html' } }));
    expect(o.status).toBe('not-detected');
  });

  it('an exposure proven by one reply stays exposed while other paths answer busy', async () => {
    const exposed = repliesFor('prometheus')!.cases.exposed!;
    const proof = exposed.replies.find((r) => r.path.startsWith('/api/v1/status/buildinfo'))!;
    const config = exposed.replies.find((r) => r.path.startsWith('/api/v1/status/config'))!;
    const o = await observe((_m, url) =>
      url === proof.path
        ? proof
        : url === config.path
          ? config
          : url.startsWith('/ea-')
            ? { status: 404, body: 'nf', source: 'plain 404' }
            : tooMany,
    );
    expect(o.status).toBe('exposed');
  });
});
