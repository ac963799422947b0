import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyFingerprints, classifyAll, fingerprintOf } from '../../../src/classify/classify.js';
import { durationArg } from '../../../src/cli/options.js';
import { probeMetas, probes, services } from '../../../src/cli/registry.js';
import { checkId, checkKindOf, checkMatches, legacyCheckId } from '../../../src/domain/check.js';
import { failsOnUntested, parseUntestedThreshold, untestedCount } from '../../../src/domain/status.js';
import { closest, didYouMean, editDistance } from '../../../src/domain/suggest.js';
import { maxDurationMs, parseDuration } from '../../../src/duration.js';
import { candidateProbes } from '../../../src/engine/run-probe.js';
import { errorCodes } from '../../../src/errors.js';
import { fromSocketError } from '../../../src/net/errno.js';
import { countEndpoints, normalizeMapped } from '../../../src/inventory/checks.js';
import { InventoryProblems, parseInventory } from '../../../src/inventory/load.js';
import { jsonDepthOver, NotRegularFileError, parseJsonBounded, readBounded, TooDeepError } from '../../../src/read-bounded.js';
import type { EndpointResult } from '../../../src/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-nightly-'));

describe('durations: one parser for the command line and YAML, within [1 ms, 2^31 ms)', () => {
  it.each([
    ['3000', 3000],
    [3000, 3000],
    ['3s', 3000],
    ['1ms', 1],
    ['1.5s', 1500],
    [String(maxDurationMs), maxDurationMs],
    ['0.4ms', undefined], // rounds to 0: every endpoint would time out
    ['0', undefined],
    [0.4, undefined],
    ['40000m', undefined], // 2.4e9 ms overflows Node's timer
    [2 ** 31, undefined],
    ['-5', undefined],
    ['soon', undefined],
  ] as const)('%s → %s', (v, want) => {
    expect(parseDuration(v)).toBe(want);
  });

  it('--timeout 3000 is accepted like `timeout: 3000` in YAML; 40000m is refused', () => {
    expect(durationArg('3000')).toBe(3000);
    expect(() => durationArg('40000m')).toThrow(/from 1ms to 2147483647ms/);
    const loaded = parseInventory('targets:\n  - host: 127.0.0.2\ndefaults: {timeout: 3000}\n', 'inv.yaml', services);
    expect(loaded.inventory.defaults?.timeout).toBe(3000);
  });
});

describe('did you mean: one edit-distance helper', () => {
  it('edit distance and the closest names', () => {
    expect(editDistance('reddis', 'redis')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('reddis', services)).toEqual(['redis']);
    expect(didYouMean('reddis', services)).toBe(' (did you mean "redis"?)');
    expect(didYouMean('zzzzzz', ['a', 'b'])).toBe(' (known: a, b)');
  });
});

describe('inventory: every problem in one pass, mapped CIDRs normalised, the endpoint count', () => {
  it('duplicates, CIDR sizes and empty service maps together, each file:line:column', () => {
    const yaml = [
      'targets:',
      '  - host: 127.0.0.2',
      '  - host: 127.0.0.2',
      '  - host: 127.0.0.0/8',
      '  - host: 127.0.0.3',
      '    services: {}',
      '',
    ].join('\n');
    let err: unknown;
    try {
      parseInventory(yaml, 'inv.yaml', services);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InventoryProblems);
    expect((err as Error).message.split('\n')).toEqual([
      'inv.yaml:3:11: duplicate target: 127.0.0.2 is already declared at line 2',
      'inv.yaml:4:11: 127.0.0.0/8 is 16777216 addresses, over the cap of 65536: split it or raise defaults.maxCidrAddresses (or --max-cidr-addresses)',
      expect.stringMatching(/^inv\.yaml:6:15: services is empty: 127\.0\.0\.3 would have no endpoint/),
    ]);
  });

  it('::ffff:127.88.49.0/126 is 127.88.49.0/30: one network, a duplicate, never audited twice', () => {
    expect(normalizeMapped('::ffff:127.88.49.0/126')).toBe('127.88.49.0/30');
    expect(normalizeMapped('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeMapped('::1/128')).toBe('::1/128');
    expect(() => parseInventory('targets:\n  - host: 127.88.49.0/30\n  - host: "::ffff:127.88.49.0/126"\n', 'inv.yaml', services)).toThrow(
      /^inv\.yaml:3:11: duplicate target: 127\.88\.49\.0\/30 is already declared at line 2$/,
    );
  });

  it('counts endpoints over the declarations without making them', () => {
    const loaded = parseInventory(
      'targets:\n  - host: 127.0.0.0/16\n    services: {http: [1, 2, 3, 4]}\n  - host: 127.0.0.9\n    services: {redis: [6379]}\n',
      'inv.yaml',
      services,
      { maxCidrAddresses: 2 ** 16 },
    );
    expect(countEndpoints(loaded.inventory, probeMetas)).toEqual({
      endpoints: 65_536 * 4 + 1,
      addresses: 65_537,
      largest: { host: '127.0.0.0/16', endpoints: 262_144 },
    });
    expect(countEndpoints(loaded.inventory, probeMetas, ['redis']).endpoints).toBe(1);
  });
});

describe('input files: regular files only, checked with fstat before a byte is read', () => {
  it.each([
    [
      'a FIFO',
      () => {
        const f = path.join(dir, 'fifo');
        execFileSync('mkfifo', [f]);
        return f;
      },
      'is a FIFO (named pipe), not a regular file',
    ],
    ['a character device', () => '/dev/null', 'is a character device, not a regular file'],
    ['a directory', () => dir, 'is a directory'],
  ])('%s is refused at once (no hang)', async (_n, make, message) => {
    const t0 = Date.now();
    const err = await readBounded(make(), 1024).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRegularFileError);
    expect((err as Error).message).toBe(message);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a regular file reads', async () => {
    const f = path.join(dir, 'ok.txt');
    writeFileSync(f, 'hello');
    expect((await readBounded(f, 1024)).toString()).toBe('hello');
  });

  it('JSON nested 20,000 levels deep is refused before parsing, in one line', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(jsonDepthOver(deep, 64)).toBe(true);
    expect(() => parseJsonBounded(deep)).toThrow(TooDeepError);
    expect(jsonDepthOver('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 64)).toBe(false);
    expect(parseJsonBounded('{"a":[1,{"b":"\\"["}]}')).toEqual({ a: [1, { b: '"[' }] });
  });
});

describe('exit policy: not tested is timeout or error; closed (and any other verdict) is tested', () => {
  it('counts and thresholds', () => {
    expect(untestedCount({ exposed: 1, closed: 5, timeout: 2, error: 1, 'not-detected': 3 })).toBe(3);
    expect(untestedCount({ closed: 9 })).toBe(0);
    expect(parseUntestedThreshold('10%')).toEqual({ percent: 10 });
    expect(parseUntestedThreshold('5')).toEqual({ count: 5 });
    expect(parseUntestedThreshold('targets.yaml')).toBeUndefined();
    expect(parseUntestedThreshold('101%')).toBeUndefined();
    expect(failsOnUntested(1, 100, { count: 0 })).toBe(true);
    expect(failsOnUntested(0, 100, { count: 0 })).toBe(false);
    expect(failsOnUntested(10, 100, { percent: 10 })).toBe(false);
    expect(failsOnUntested(11, 100, { percent: 10 })).toBe(true);
  });

  it('EMFILE / ENFILE read as local exhaustion with a hint, never as a peer reset', () => {
    for (const code of ['EMFILE', 'ENFILE']) {
      const e = fromSocketError(Object.assign(new Error(`${code}: too many open files`), { code }), 'connect');
      expect(e.code).toBe('EA_LOCAL_LIMIT');
      expect(e.message).toMatch(/ulimit -n/);
    }
    expect(errorCodes.EA_LOCAL_LIMIT).toMatch(/this machine/);
  });
});

const result = (over: Partial<EndpointResult>): EndpointResult => ({
  host: '127.0.0.2',
  port: 8080,
  service: 'http',
  asset: 'ci',
  declaredHost: '127.0.0.2',
  labels: {},
  source: { file: 'inv.yaml', line: 2, column: 11 },
  probe: 'http-admin',
  status: 'exposed',
  evidence: { requests: [], product: 'Jenkins' },
  facts: { signature: 'jenkins' },
  durationMs: 1,
  ...over,
});

describe('identity: the check id names the product', () => {
  const meta = probeMetas.find((m) => m.id === 'http-admin');

  it('jenkins:unauthenticated, nginx-stub-status:unauthenticated: different checks, different fingerprints', () => {
    const jenkins = classifyAll(result({}), meta)[0]!;
    const nginx = classifyAll(
      result({ evidence: { requests: [], product: 'nginx' }, facts: { signature: 'nginx-stub-status' } }),
      meta,
    )[0]!;
    expect(jenkins.check).toBe('jenkins:unauthenticated');
    expect(nginx.check).toBe('nginx-stub-status:unauthenticated');
    expect(jenkins.fingerprint).not.toBe(nginx.fingerprint);
    expect(checkKindOf(jenkins)).toBe('unauthenticated');
    expect(checkId('http-admin', 'unclaimed', { service: 'http', id: 'jenkins' })).toBe('jenkins:unclaimed');
    // A 0.x report's `<service>:<product>[:<kind>]` still reads.
    expect(checkKindOf({ check: 'http:jenkins:unclaimed', probe: 'http-admin', service: 'http' })).toBe('unclaimed');
    expect(checkKindOf({ check: 'http:jenkins', probe: 'http-admin', service: 'http' })).toBe('unauthenticated');
    expect(checkId('redis', 'unauthenticated')).toBe('redis:unauthenticated');
  });

  it('a signature service (probe = service = signature, e.g. litellm) is already the product: litellm:<kind>, never litellm:litellm', () => {
    const litellm = result({
      probe: 'litellm',
      service: 'litellm',
      port: 4000,
      status: 'auth-required',
      evidence: { requests: [], product: 'LiteLLM' },
      facts: { signature: 'litellm' },
      defaultCredential: { user: 'master key sk-1234', source: 'https://docs.litellm.ai/docs/proxy/docker_quick_start' },
    });
    const fs = classifyAll(
      litellm,
      probeMetas.find((m) => m.id === 'litellm'),
    );
    expect(fs.map((f) => f.check)).toEqual(['litellm:default-credential']);
    expect(checkKindOf(fs[0]!)).toBe('default-credential');
    expect(checkMatches('default-credential', fs[0]!)).toBe(true);
    expect(legacyFingerprints(fs[0]!)).toEqual([]);
    const open = classifyAll(
      result({
        probe: 'litellm',
        service: 'litellm',
        port: 4000,
        evidence: { requests: [], product: 'LiteLLM' },
        facts: { signature: 'litellm' },
      }),
      probeMetas.find((m) => m.id === 'litellm'),
    );
    expect(open[0]!.check).toBe('litellm:unauthenticated');
  });

  it('suppressions match per product: `jenkins` covers Jenkins only; a kind still covers every product', () => {
    const f = { check: 'jenkins:unauthenticated', probe: 'http-admin', service: 'http' };
    expect(checkMatches('jenkins', f)).toBe(true);
    expect(checkMatches('jenkins:unauthenticated', f)).toBe(true);
    expect(checkMatches('unauthenticated', f)).toBe(true);
    expect(checkMatches('nginx-stub-status', f)).toBe(false);
    expect(checkMatches('http-admin:unauthenticated', f)).toBe(false);
    expect(checkMatches('unauthenticated', { check: 'redis:unauthenticated', probe: 'redis', service: 'redis' })).toBe(true);
  });

  it('the legacy fingerprint (check `http-admin:unauthenticated`) is what the state migration maps from', () => {
    const jenkins = classifyAll(result({}), meta)[0]!;
    const old = fingerprintOf(result({}), legacyCheckId('http-admin', 'unauthenticated'));
    expect(legacyFingerprints(jenkins)).toContain(old);
    const redis = classifyAll(
      result({ probe: 'redis', service: 'redis', port: 6379, facts: {}, evidence: { requests: [], product: 'Redis' } }),
    )[0]!;
    expect(legacyFingerprints(redis)).toEqual([]);
  });
});

describe('declared non-default ports run every probe of the service', () => {
  it('a declared port runs the default-port probes first, then the rest; a default port only its own', () => {
    const all = probes;
    const mine = all.filter((p) => p.meta.service === 'clickhouse');
    const port = mine[0]!.meta.defaultPorts[0]!;
    const onDefault = candidateProbes(all, { service: 'clickhouse', port });
    const declared = candidateProbes(all, { service: 'clickhouse', port, portDeclared: true });
    expect(onDefault.length).toBeLessThan(mine.length);
    expect(declared.map((p) => p.meta.id).sort()).toEqual(mine.map((p) => p.meta.id).sort());
    expect(declared[0]).toBe(onDefault[0]);
  });
});
