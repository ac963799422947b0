import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAvailable, startServer, stopAll, type ServerKind } from '../../support/servers/index.js';
import { classify } from '../../../src/classify/classify.js';
import { defaultPorts, probeMetas, probes, services } from '../../../src/cli/registry.js';
import { auditDefaults, runAudit } from '../../../src/engine/audit.js';
import { expandTargets } from '../../../src/inventory/expand.js';
import { parseInventory } from '../../../src/inventory/load.js';
import type { EndpointResult } from '../../../src/types.js';

/**
 * Issue 22 part 2: products that were `not-detected` (or had no row) on real installs, now found on a host declared
 * WITHOUT `services:`. Real servers on their default ports, started by test/support/servers (pid-tracked, stopped by pid):
 * Debian docker-registry 2.8 and Mosquitto 2.0; npm Node-RED 4.1, Verdaccio 5.33 and PouchDB Server 4.2 (installed
 * by scripts/install-test-deps.sh under .test-tools/). Open ones on 127.0.4.40, secured ones on 127.0.4.41.
 */
const OPEN = '127.0.4.40';
const SECURED = '127.0.4.41';
const kinds: ServerKind[] = ['docker-registry', 'mosquitto', 'node-red', 'verdaccio', 'pouchdb-server'];
const available = kinds.every((k) => serverAvailable(k));
const T = 180_000;

const portsOf: Record<string, Record<string, number>> = {
  'docker-registry': { http: 5000 },
  mosquitto: { mqtt: 1883, mqtts: 8883 },
  'node-red': { http: 1880 },
  verdaccio: { http: 4873 },
  'pouchdb-server': { http: 5984 },
};

beforeAll(async () => {
  if (!available) return;
  // One after another per host: the npm servers each take a few seconds of CPU to start on a loaded machine.
  for (const host of [OPEN, SECURED]) {
    const variant = host === OPEN ? 'open' : 'protected';
    await Promise.all(kinds.map((kind) => startServer({ kind, variant, host, ports: portsOf[kind]! })));
  }
}, T);

afterAll(() => stopAll(), T);

async function auditHost(host: string): Promise<Record<string, EndpointResult>> {
  const eps = await expandTargets(parseInventory(`targets:\n  - host: ${host}\n    name: forgotten-host\n`, 'inv.yaml', services), {
    probes: probeMetas,
    resolver: async () => {
      throw new Error('no lookups');
    },
  });
  const run = await runAudit(eps, { ...auditDefaults, timeoutMs: 15_000, probes });
  return Object.fromEntries(run.results.filter((r) => r.status !== 'closed').map((r) => [`${r.service}:${r.port}`, r]));
}

const expectedEndpoints = ['docker-registry:5000', 'mqtt:1883', 'mqtt:8883', 'node-red:1880', 'pouchdb-server:5984', 'verdaccio:4873'];

describe('default ports of the new services', () => {
  it('each product is its own service on its own default ports', () => {
    expect(defaultPorts('docker-registry')).toEqual([5000]);
    expect(defaultPorts('mqtt')).toEqual([1883, 8883]);
    expect(defaultPorts('node-red')).toEqual([1880]);
    expect(defaultPorts('verdaccio')).toEqual([4873]);
    expect(defaultPorts('pouchdb-server')).toEqual([5984]);
  });
});

describe.skipIf(!available)('real servers, host declared without services', () => {
  it(
    'open: every product found and exposed; Node-RED critical (code execution); nothing else on the host lights up',
    async () => {
      const by = await auditHost(OPEN);
      const detail = (k: string) => JSON.stringify({ evidence: by[k]?.evidence, error: by[k]?.error, data: by[k]?.data });
      // 5000 and 5984 are also default ports of other services (their probes find nothing there).
      const found = Object.keys(by).filter((k) => by[k]!.status !== 'not-detected');
      expect(found.sort()).toEqual(expectedEndpoints);
      for (const k of expectedEndpoints) expect(by[k]!.status, detail(k)).toBe('exposed');

      const registry = by['docker-registry:5000']!;
      expect(registry.data?.items.map((i) => i.name).sort()).toEqual(['ml/train-api', 'payments-service']);
      expect(registry.data?.items.find((i) => i.name === 'ml/train-api')?.fields).toEqual(['latest', 'v1', 'v2']);

      const mqtt = by['mqtt:1883']!;
      expect(mqtt.evidence.product).toBe('Mosquitto');
      expect(mqtt.evidence.version).toMatch(/^2\.0\./);
      expect(by['mqtt:8883']!.evidence.tls).toBe(true);

      const nodeRed = by['node-red:1880']!;
      expect(nodeRed.evidence.version).toMatch(/^4\.1\./);
      expect(nodeRed.assessment?.severity).toBe('critical');
      expect(nodeRed.assessment?.reason).toMatch(/code execution.*2 such nodes/);
      expect(nodeRed.data?.items.map((i) => i.name)).toEqual(['Billing sync']);

      expect(by['verdaccio:4873']!.evidence.version).toBe('5.33.0');
      expect(by['verdaccio:4873']!.data?.items.map((i) => i.name)).toEqual(['internal-billing-sdk']);

      const pouch = by['pouchdb-server:5984']!;
      expect(pouch.evidence.product).toBe('PouchDB Server (express-pouchdb)');
      expect(pouch.facts.adminParty).toBe(true);
      expect(pouch.data?.items.find((i) => i.name === 'orders')?.rows).toBe(1);

      // Severities as the report shows them (classify, with the probe's meta): code execution stays critical.
      const sev = (k: string) =>
        classify(
          by[k]!,
          probeMetas.find((m) => m.id === by[k]!.probe),
        )?.severity;
      expect(sev('node-red:1880')).toBe('critical');
      expect(sev('mqtt:1883')).toBe('high');
    },
    T,
  );

  it(
    'secured: credentials demanded everywhere, except PouchDB Server, whose /_all_dbs stays public with admins configured',
    async () => {
      const by = await auditHost(SECURED);
      const detail = (k: string) => JSON.stringify({ evidence: by[k]?.evidence, error: by[k]?.error });
      const found = Object.keys(by).filter((k) => by[k]!.status !== 'not-detected');
      expect(found.sort()).toEqual(expectedEndpoints);
      for (const k of ['docker-registry:5000', 'mqtt:1883', 'mqtt:8883', 'node-red:1880', 'verdaccio:4873'])
        expect(by[k]!.status, detail(k)).toBe('auth-required');
      expect(by['docker-registry:5000']!.evidence.product).toBe('Docker Registry (distribution v2)');
      expect(by['node-red:1880']!.evidence.product).toBe('Node-RED');
      expect(by['verdaccio:4873']!.evidence.product).toBe('Verdaccio (npm registry)');
      expect(by['mqtt:1883']!.evidence.reply).toBe('CONNACK 5 (not authorized)');
      // express-pouchdb 4.2 has no require_valid_user: the names are readable, anonymous is no longer _admin.
      const pouch = by['pouchdb-server:5984']!;
      expect(pouch.status, detail('pouchdb-server:5984')).toBe('exposed');
      expect(pouch.facts.adminParty).toBe(false);
    },
    T,
  );
});
