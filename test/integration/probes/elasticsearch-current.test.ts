// The elasticsearch probe against replays of CURRENT defaults (ES 8.15/9.0, OpenSearch 2.19/3.0) on 127.0.1.40–46,
// port 0. ES 8+ and the OpenSearch security plugin serve HTTPS only: plaintext is closed, the engine retries over TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import elasticsearch from '../../../probes/elasticsearch.js';
import type { Status } from '../../../src/types.js';
import { startSearchReplay, type SearchReplay, type SearchVariant } from '../../fixtures/current/elasticsearch.js';
import { selfSignedCert } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';

const creds = selfSignedCert();
const harness = createHarness({ probes: [elasticsearch], timeoutMs: 2_000 });
const replays = new Map<SearchVariant, SearchReplay>();

interface Case {
  variant: SearchVariant;
  status: Status;
  product: string;
  version?: string;
  tls: boolean;
  reply?: RegExp;
}

const cases: Case[] = [
  {
    variant: 'es-8.15-secured-tls-only',
    status: 'auth-required',
    product: 'Elasticsearch',
    tls: true,
    reply: /^401 .*security_exception.*missing authentication credentials/,
  },
  { variant: 'es-8.15-secured-tls-alert', status: 'auth-required', product: 'Elasticsearch', tls: true },
  { variant: 'es-9.0-secured-tls-only', status: 'auth-required', product: 'Elasticsearch', tls: true },
  { variant: 'es-8.15-open', status: 'exposed', product: 'Elasticsearch', version: '8.15.3', tls: false },
  { variant: 'es-9.0-open', status: 'exposed', product: 'Elasticsearch', version: '9.0.1', tls: false },
  { variant: 'opensearch-2.19-secured-tls-only', status: 'auth-required', product: 'OpenSearch', tls: true, reply: /^401 Unauthorized$/ },
  { variant: 'opensearch-3.0-open', status: 'exposed', product: 'OpenSearch', version: '3.0.0', tls: false },
];

beforeAll(async () => {
  if (!creds) return;
  let n = 40;
  for (const c of cases) replays.set(c.variant, await startSearchReplay(c.variant, `127.0.1.${n++}`, creds));
});
afterAll(async () => {
  await harness.close();
  await Promise.all([...replays.values()].map((r) => r.close()));
});

describe.skipIf(!creds)('elasticsearch probe: current versions (replayed)', () => {
  it.each(cases)('$variant → $status', async (c) => {
    const r = replays.get(c.variant)!;
    const { observation: o } = await harness.probe('elasticsearch', r.host, r.port);
    expect(o.status).toBe(c.status);
    expect(o.evidence.product).toBe(c.product);
    if (c.version) expect(o.evidence.version).toBe(c.version);
    if (c.reply) expect(o.evidence.reply).toMatch(c.reply);
    if (c.tls) {
      // The plaintext attempt was refused without an HTTP reply, and that never reads as "not Elasticsearch".
      expect(r.plaintextRejected()).toBeGreaterThan(0);
      expect(o.evidence.tls).toBe(true);
      expect(o.evidence.notes?.join('\n')).toMatch(/plaintext got no reply; retried over TLS/);
      expect(r.requests).toEqual(['GET /']);
      expect(o.facts.wwwAuthenticate).toMatch(/Basic realm=/);
    } else {
      expect(o.evidence.tls).toBeUndefined();
      expect(o.data?.items.map((i) => i.name)).toEqual(['customers']);
      expect(o.data?.items[0]?.fields).toEqual(['email', 'name']);
    }
  });
});
