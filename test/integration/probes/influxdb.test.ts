import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import influxProbe from '../../../probes/influxdb.js';
import { httpRequest, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { HttpClient } from '../../../src/net/http.js';
import { plantedKeys } from '../../fixtures/elasticsearch-stub.js';
import { startHttp, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { commonStoreRows } from '../../support/store-rows.js';

// Real influxd 1.6 (Debian 12 package) on 127.0.1.51–53: open, auth-enabled with an admin, auth-enabled without one.
const harness = createHarness({ probes: [influxProbe] });
const servers: Record<string, ServerInstance> = {};
const fakes: FakeServer[] = [];

/** Test setup (not the probe): a database with measurements, written through the server's own HTTP API. */
async function seed(s: ServerInstance) {
  const port = s.ports.http!;
  const post = async (p: string, body?: string) => {
    const r = await httpRequest({ host: s.host, port, method: 'POST', path: p, ...(body ? { body } : {}) });
    if (r.status >= 300) throw new Error(`seed ${p}: ${r.status} ${r.body}`);
  };
  await post(`/query?q=${encodeURIComponent('CREATE DATABASE telemetry')}`);
  await post(`/query?q=${encodeURIComponent('CREATE DATABASE "app logs" WITH DURATION 7d NAME week')}`);
  await post(
    '/write?db=telemetry',
    `cpu,host=a usage=1.5\ncpu,host=b usage=2\nuser_sessions,region=eu token="${plantedKeys[0]}",count=3i\n`,
  );
  await post(`/write?db=${encodeURIComponent('app logs')}`, 'requests,path=/x status=200i\n');
}

beforeAll(async () => {
  const [open, secured, noAdmin] = await Promise.all([
    startServer({ kind: 'influxdb', variant: 'open', host: '127.0.1.51' }),
    startServer({ kind: 'influxdb', variant: 'protected', host: '127.0.1.52' }),
    startServer({ kind: 'influxdb', variant: 'no-admin', host: '127.0.1.53' }),
  ]);
  Object.assign(servers, { open, secured, noAdmin });
  await seed(open);
}, 90_000);

afterAll(async () => {
  await harness.close();
  await Promise.all(fakes.map((f) => f.close()));
  await stopAll();
});

describe('influxdb probe against real InfluxDB 1.6', () => {
  it('auth-enabled = false: SHOW DATABASES → exposed, with measurements, field keys and retention policies', async () => {
    const s = servers.open!;
    const { observation: o } = await harness.probe('influxdb', s.host, s.ports.http!);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('InfluxDB');
    expect(o.evidence.version).toMatch(/^1\.6/);
    expect(o.data?.items).toEqual(
      expect.arrayContaining([
        { kind: 'database', name: 'telemetry' },
        { kind: 'database', name: 'app logs' },
        { kind: 'measurement', name: 'telemetry.cpu', fields: ['usage'] },
        { kind: 'measurement', name: 'telemetry.user_sessions', fields: ['count', 'token'] },
        { kind: 'measurement', name: 'app logs.requests', fields: ['status'] },
      ]),
    );
    expect(o.data?.totals).toMatchObject({ databases: 2, tables: 3 });
    expect(o.facts.retentionPolicies).toMatchObject({
      telemetry: [{ name: 'autogen', duration: '0s', default: true }],
      'app logs': [{ name: 'week', duration: '168h0m0s', default: true }],
    });
    for (const r of o.evidence.requests) expect(r).toMatch(/^GET \/query\?q=SHOW%20/);
  });

  it('auth-enabled with an admin: 401 → auth-required', async () => {
    const s = servers.secured!;
    const { observation: o } = await harness.probe('influxdb', s.host, s.ports.http!);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toMatch(/^401 .*unable to parse authentication credentials/);
    expect(o.data).toBeUndefined();
  });

  it('auth-enabled but no admin yet: 403 "create admin user first" → exposed and unclaimed (anyone can create the admin)', async () => {
    const s = servers.noAdmin!;
    const { observation: o } = await harness.probe('influxdb', s.host, s.ports.http!);
    expect(o.status).toBe('exposed');
    expect(o.unclaimed).toMatch(/no admin user/);
    expect(o.evidence.reply).toMatch(/^403 .*create admin user first/);
  });

  it('/ping proves nothing: a server answering only /ping-style 204 + X-Influxdb-Version is not exposed', async () => {
    const f = await startHttp('127.0.1.54', (_req, res) => {
      res.writeHead(204, { 'x-influxdb-version': '1.8.10', 'x-influxdb-build': 'OSS' });
      res.end();
    });
    fakes.push(f);
    const { observation: o } = await harness.probe('influxdb', f.host, f.port);
    expect(o.status).not.toBe('exposed');
    expect(o.evidence.requests).not.toContain('GET /ping');
  });

  it('read-only: the server query log shows only SHOW statements from the probe', async () => {
    const s = servers.open!;
    await harness.probe('influxdb', s.host, s.ports.http!);
    const log = readFileSync(path.join(s.dir, 'stderr.log'), 'utf8') + readFileSync(path.join(s.dir, 'stdout.log'), 'utf8');
    // The HTTP access log: every request after seeding is a GET /query … SHOW …
    const lines = log.split('\n').filter((l) => /"(GET|POST|PUT|DELETE|PATCH) \//.test(l));
    // Setup traffic: the recipe's readiness GET /ping and the seed's POSTs (CREATE DATABASE, /write).
    const probeLines = lines.filter((l) => !/POST \/(query\?q=CREATE|write\?db=)|"GET \/ping /.test(l));
    expect(probeLines.length).toBeGreaterThan(0);
    for (const l of probeLines) expect(l).toMatch(/"GET \/query\?q=SHOW(%20|\+)/);
    // The query log: executed statements are CREATE (the seed) or the probe's SHOW statements; influxd 1.6 logs
    // SHOW FIELD KEYS as its own rewrite, a SELECT on the _fieldKeys system source.
    const executed = [...log.matchAll(/msg="Executing query".* query="(.*)"$/gm)].map((m) => m[1]!);
    expect(executed.filter((q) => q.startsWith('SHOW ')).length).toBeGreaterThanOrEqual(4);
    for (const q of executed) expect(q).toMatch(/^(SHOW |CREATE DATABASE |SELECT fieldKey, fieldType FROM [^;]+\._fieldKeys$)/);
  });

  it('--sample 5: reads points of the sensitive-looking measurements only (sessions, request logs), counts the planted key, keeps no value', async () => {
    const s = servers.open!;
    const http = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const endpoint = {
        host: s.host,
        port: s.ports.http!,
        service: 'influxdb',
        asset: 'a',
        declaredHost: s.host,
        labels: {},
        source: { file: 't.yaml', line: 1, column: 1 },
      };
      const { observation: o } = await probeEndpoint([influxProbe], endpoint, {
        timeoutMs: 3000,
        connectTimeoutMs: 1000,
        maxBytes: auditDefaults.maxBytes,
        caps: auditDefaults.caps,
        sampleRows: 5,
        signal: new AbortController().signal,
        http,
      });
      // Request logs are a sensitive class too (API keys in logs: the breach's lesson), so both measurements are read.
      expect(o.data?.sample?.sources).toEqual(['telemetry.user_sessions', 'app logs.requests']);
      expect(o.data?.sample?.rows).toBe(2);
      expect(o.data?.sample?.secrets.reduce((n, x) => n + x.count, 0)).toBe(1);
      expect(o.evidence.requests).toContain(`GET /query?q=${encodeURIComponent('SELECT * FROM "telemetry".."user_sessions" LIMIT 5')}`);
      expect(JSON.stringify(o)).not.toContain(plantedKeys[0]);
    } finally {
      await http.close();
    }
  });
});

commonStoreRows(() => harness, 'influxdb', '127.0.1.55', 'http');
