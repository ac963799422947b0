// The streaming report path (the cron path: JSON outputs only, or `-q`): results are spooled to disk as they
// complete, and the JSON report is written from the spool. It must be the same document, byte for byte, as the
// in-memory path gives for the same run — continuous auditing (baseline diff, state, suppressions) included — and
// leave no spool or temp file behind, on success, on error or on interrupt.
//
// Peers: Elasticsearch/OpenSearch/Kibana stubs (replayed vendor replies), a tarpit, a catch-all HTTP server and
// closed ports, on 127.0.0.236–243. The suppressions name a host that resolves (injected resolver) to 127.0.0.238.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/main.js';
import { cli as runCli } from '../../support/cli.js';
import { probeMetas, probes, services } from '../../../src/cli/registry.js';
import { prepareContinuous } from '../../../src/cli/continuous.js';
import { TestedRecorder } from '../../../src/continuous/tested.js';
import { runAudit, type AuditRun } from '../../../src/engine/audit.js';
import { expandTargets, type Resolver } from '../../../src/inventory/expand.js';
import { loadInventoryFile } from '../../../src/inventory/load.js';
import { renderJson, renderJsonChunks, renderJsonEndpoint } from '../../../src/report/json.js';
import { buildReport, ReportBuilder } from '../../../src/report/model.js';
import { type Report } from '../../../src/report/schema.js';
import { parseReport } from '../../../src/report/compact.js';
import { ResultSpool } from '../../../src/report/spool.js';
import { removeOnExit, writeAtomicStream } from '../../../src/report/write.js';
import type { EndpointResult } from '../../../src/types.js';
import { startCatchAll, startStub, type Peer, type StubServer } from '../../fixtures/elasticsearch-stub.js';
import { continuousReport, sampleReport } from '../../fixtures/sample-run.js';
import { closedPort, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { resolveRunConfig } from '../../../src/domain/run-config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-stream-'));
const now = new Date('2026-05-04T03:02:01.000Z');
const resolver: Resolver = async (name) => {
  if (name === 'search.internal') return ['127.0.0.238'];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};
const stubs: StubServer[] = [];
let tarpit: FakeServer;
let catchAll: Peer;
const closed: number[] = [];
let inventory = '';
let baselineFile = '';
let stateFile = '';
const ports = { es: 0, secured: 0, os: 0, kibana: 0 };

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of chunks) s += c;
  return s;
}

const cli = (args: string[], opts: Partial<CliIo> = {}) => runCli(args, { resolver, now: () => now, ...opts });

/** Files the streaming path must never leave behind. */
const leftovers = (where = dir) => readdirSync(where).filter((f) => f.endsWith('.spool') || f.endsWith('.tmp'));

/** What two runs of the same fleet may not share: clocks. Everything else must be the same bytes. */
const untimed = (json: string) =>
  json
    .replace(/"(startedAt|finishedAt)": "[^"]*"/g, '"$1": "…"')
    // Compact rows (closed, filtered) are one line: no space after the colon.
    .replace(/"durationMs":( ?)\d+/g, (_m, space: string) => `"durationMs":${space}0`);

beforeAll(async () => {
  const [es, secured, os, kibana] = await Promise.all([
    startStub('es7-open', '127.0.0.236'),
    startStub('es-secured', '127.0.0.237'),
    startStub('opensearch-open', '127.0.0.238'),
    startStub('kibana-open', '127.0.0.239'),
  ]);
  stubs.push(es!, secured!, os!, kibana!);
  Object.assign(ports, { es: es!.port, secured: secured!.port, os: os!.port, kibana: kibana!.port });
  tarpit = await startRaw('127.0.0.240', { kind: 'silent' });
  catchAll = await startCatchAll('127.0.0.243');
  for (let i = 0; i < 30; i++) {
    const p = await closedPort('127.0.0.241');
    if (!closed.includes(p)) closed.push(p);
  }
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.236',
      '    name: search-prod',
      `    services: {elasticsearch: [${ports.es}]}`,
      '    labels: {exposure: internet, owner: search-team}',
      '  - host: 127.0.0.237',
      '    name: search-secured',
      `    services: {elasticsearch: [${ports.secured}]}`,
      '  - host: search.internal',
      `    services: {elasticsearch: [${ports.os}]}`,
      '  - host: 127.0.0.239',
      '    name: dashboards',
      `    services: {kibana: [${ports.kibana}]}`,
      '  - host: 127.0.0.240',
      '    name: tarpit',
      `    services: {elasticsearch: [${tarpit.port}]}`,
      '  - host: 127.0.0.241',
      '    name: closed-fleet',
      `    services: {redis: [${closed.join(', ')}]}`,
      '  - host: 127.0.0.243',
      `    services: {kibana: [${catchAll.port}]}`,
      'suppressions:',
      '  - host: search.internal',
      '    reason: replica being decommissioned',
      '    owner: search-team',
      '    expires: 2099-12-31',
      '  - asset: dashboards',
      '    reason: waiting for SSO',
      '    owner: web-team',
      '    expires: 2026-01-31',
      '  - host: 127.0.0.250',
      '    reason: a host that is gone',
      '    owner: ops',
      '    expires: 2099-12-31',
      // The product's default deadlines: at 1 s the in-process stubs missed them at load average 20 (a baseline run
      // without its Elasticsearch findings). The tarpit still costs one deadline per run.
      'defaults: {timeout: 3s, connectTimeout: 2s, perHostConcurrency: 4}',
      '',
    ].join('\n'),
  );

  // The baseline: a first run, then edited so this run has every kind of change against it: a severity that moved,
  // an unchanged finding, a new one (dropped here), one resolved (its endpoint answers auth-required now), one not
  // retested (its endpoint is a tarpit now).
  const first = await cli([inventory, '--format', 'json', '--no-state']);
  expect(first.stderr).toBe('');
  const r0 = parseReport(JSON.parse(first.stdout));
  const byAsset = (a: string) => r0.findings.find((f) => f.asset === a)!;
  expect(r0.findings.map((f) => f.asset).sort()).toEqual(['dashboards', 'search-prod', 'search.internal']);
  const moved = { ...byAsset('search-prod'), severity: 'low' as const };
  const gone = (asset: string, host: string, port: number) => ({
    ...byAsset('search-prod'),
    fingerprint: `f00d${port}`.padEnd(16, '0'),
    asset,
    host,
    port,
  });
  const baseline: Report = {
    ...r0,
    run: { ...r0.run, startedAt: '2026-04-01T00:00:00.000Z' },
    findings: [
      moved,
      byAsset('dashboards'),
      gone('search-secured', '127.0.0.237', ports.secured),
      gone('tarpit', '127.0.0.240', tarpit.port),
    ],
  };
  baselineFile = path.join(dir, 'baseline.json');
  writeFileSync(baselineFile, renderJson(baseline));

  // The state file: first seen long ago for one finding, and entries for a resolved and a not-retested endpoint.
  const entry = (f: Report['findings'][number], firstSeen: string) => ({
    firstSeen,
    lastSeen: '2026-05-01T00:00:00.000Z',
    severity: f.severity,
    title: f.title,
    check: f.check,
    asset: f.asset,
    host: f.host,
    port: f.port,
    service: f.service,
  });
  stateFile = path.join(dir, 'state-initial.json');
  writeFileSync(
    stateFile,
    JSON.stringify({
      tool: 'exposure-audit',
      stateVersion: 1,
      updatedAt: '2026-05-01T00:00:00.000Z',
      findings: {
        [byAsset('search.internal').fingerprint]: entry(byAsset('search.internal'), '2026-02-01T00:00:00.000Z'),
        [gone('search-secured', '127.0.0.237', ports.secured).fingerprint]: entry(
          gone('search-secured', '127.0.0.237', ports.secured),
          '2026-03-01T00:00:00.000Z',
        ),
        [gone('tarpit', '127.0.0.240', tarpit.port).fingerprint]: entry(
          gone('tarpit', '127.0.0.240', tarpit.port),
          '2026-03-01T00:00:00.000Z',
        ),
      },
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([...stubs.map((s) => s.close()), tarpit.close(), catchAll.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('renderJsonChunks', () => {
  const cases: Array<[string, () => Report]> = [
    ['the sample report', () => sampleReport()],
    ['an interrupted one', () => sampleReport({ complete: false })],
    ['the continuous fixture (diff, suppressions, ages)', () => continuousReport()],
    ['no endpoints', () => ({ ...sampleReport(), endpoints: [], findings: [] })],
    [
      'one endpoint, an undefined optional key',
      () => ({ ...sampleReport(), endpoints: sampleReport().endpoints.slice(0, 1), diff: undefined }),
    ],
  ];
  it.each(cases)('%s: the same bytes as renderJson', async (_name, make) => {
    const report = make();
    expect(await collect(renderJsonChunks({ ...report, endpoints: [] }, report.endpoints.map(renderJsonEndpoint)))).toBe(
      renderJson(report),
    );
  });
});

describe('ReportBuilder', () => {
  it('orders findings as buildReport does, whatever order results arrive in (ties: inventory order)', () => {
    // Two findings with the same severity, host and port: only the inventory order tells them apart.
    const [a] = sampleReport().endpoints.filter((e) => e.status === 'exposed');
    const results = [a!, { ...a!, asset: `${a!.asset}-twin` }, ...sampleReport().endpoints.filter((e) => e.asset !== a!.asset)];
    const expected = buildReport(
      { results: structuredClone(results), complete: true, startedAt: now, finishedAt: now },
      { inventory, failOn: 'high', probes: probeMetas },
    );
    const builder = new ReportBuilder({ inventory, failOn: 'high', probes: probeMetas });
    for (let i = results.length - 1; i >= 0; i--) builder.add(structuredClone(results[i]!), i);
    const streamed = builder.finish({ complete: true, startedAt: now, finishedAt: now });
    expect(streamed.findings.slice(0, 2).map((f) => f.asset)).toEqual([a!.asset, `${a!.asset}-twin`]);
    expect({ ...streamed, endpoints: expected.endpoints }).toEqual(expected);
  });
});

describe('ResultSpool', () => {
  it('reads back in index order what was appended in any order; private file, removed by remove()', async () => {
    const records = sampleReport().endpoints.map(renderJsonEndpoint);
    // Bigger than a read window, and multi-byte text: records are bytes on disk, text when read back.
    records.push(`"${'é'.repeat(70 * 1024)}"`, '"last"');
    const spool = ResultSpool.create(records.length, path.join(dir, 'order.json'));
    expect(path.dirname(spool.path)).toBe(dir);
    expect(statSync(spool.path).mode & 0o777).toBe(0o600);
    const order = records.map((_, i) => i).reverse();
    for (const i of order) spool.append(i, records[i]!);
    const back: string[] = [];
    for await (const r of spool.read()) back.push(r);
    expect(back).toEqual(records);
    expect(() => spool.append(0, records[0]!)).toThrow(/added twice/);
    spool.remove();
    spool.remove();
    expect(leftovers()).toEqual([]);
  });

  it('many records, nearly in order, multi-line and with escaped NULs, read back exactly across read windows', async () => {
    const n = 5000;
    const records = Array.from({ length: n }, (_, i) =>
      i % 7 === 0
        ? renderJsonEndpoint({ ...sampleReport().endpoints[0]!, host: `127.0.${i >> 8}.${i & 255}` })
        : JSON.stringify({ i, s: `a\u0000b${'x'.repeat(i % 97)}` }),
    );
    // Completion order: each block of 64 reversed, one record at the very end (a slow probe).
    const order = records.map((_, i) => i).filter((i) => i !== 10);
    for (let b = 0; b < order.length; b += 64) order.splice(b, 64, ...order.slice(b, b + 64).reverse());
    order.push(10);
    const spool = ResultSpool.create(n, path.join(dir, 'many.json'));
    try {
      for (const i of order) spool.append(i, records[i]!);
      expect([...spool.records()]).toEqual(records);
    } finally {
      spool.remove();
    }
  });

  it('holds 4 bytes per endpoint in memory (where its record starts), not the records', () => {
    // What grows with the endpoint count in a streamed run: a /12 sweep's 1,048,576 endpoints hold 4 MiB here.
    const spool = ResultSpool.create(1_048_576, path.join(dir, 'index.json'));
    try {
      expect(spool.indexBytes).toBeLessThanOrEqual(4 * 1_048_576);
      for (let i = 0; i < 1000; i++) spool.append(i, `{"host":"127.0.0.${i & 255}","port":${i}}`);
      expect(spool.indexBytes).toBeLessThanOrEqual(4 * 1_048_576);
    } finally {
      spool.remove();
    }
  });

  it('refuses to read a result that never came', async () => {
    const spool = ResultSpool.create(2, path.join(dir, 'missing.json'));
    try {
      spool.append(1, renderJsonEndpoint(sampleReport().endpoints[0]!));
      await expect(collect(renderJsonChunks(sampleReport(), spool.read()))).rejects.toThrow(/no result for endpoint 0/);
    } finally {
      spool.remove();
    }
  });

  it('a missing directory for the report fails before anything runs', () => {
    expect(() => ResultSpool.create(1, path.join(dir, 'no-such-dir', 'r.json'))).toThrow(/cannot write .*r\.json: ENOENT/);
  });

  it('removeOnExit: what was not released is removed at exit; released files are left alone', () => {
    const before = process.listenerCount('exit');
    const release = removeOnExit(path.join(dir, 'x.spool'));
    expect(process.listenerCount('exit')).toBe(before + 1);
    release();
    expect(process.listenerCount('exit')).toBe(before);
  });
});

describe('the same run, in memory and streamed', () => {
  it('gives the same JSON report, byte for byte, and the same state file, with baseline, state and suppressions', async () => {
    const loaded = await loadInventoryFile(inventory, services);
    const endpoints = await expandTargets(loaded, { probes: probeMetas, resolver });
    const states = ['state-a.json', 'state-b.json'].map((f) => path.join(dir, f));
    for (const s of states) copyFileSync(stateFile, s);
    const io = { stdout: () => undefined, stderr: () => undefined, isTty: false, env: {}, now: () => now };
    const [inMemory, streamed] = await Promise.all(
      states.map((state) => prepareContinuous(inventory, loaded, { baseline: baselineFile, state }, io)),
    );

    const order: number[] = [];
    const run: AuditRun = await runAudit(endpoints, {
      probes,
      ...resolveRunConfig({ timeoutMs: 3000, connectTimeoutMs: 2000, concurrency: 8, perHostConcurrency: 4, sampleRows: 5 }),
      onResult: (_r, _d, _t, i) => order.push(i),
    });
    const raw = structuredClone(run.results);
    const model = { inventory, failOn: 'high' as const, probes: probeMetas };

    const a = inMemory!.annotate(buildReport({ ...run, results: structuredClone(raw) }, model));
    const expected = renderJson(a);
    // Sanity: the run has what the comparison is about.
    expect(a.findings.map((f) => [f.asset, f.change, f.suppressed ? 'suppressed' : f.suppressionExpired ? 'expired' : ''])).toEqual([
      ['search-prod', 'changed-severity', ''],
      ['search.internal', 'new', 'suppressed'],
      ['dashboards', 'unchanged', 'expired'],
    ]);
    expect(a.diff!.resolved.map((e) => e.asset)).toEqual(['search-secured']);
    expect(a.diff!.notRetested.map((e) => e.asset)).toEqual(['tarpit']);
    expect(a.suppressions!.stale.map((s) => s.host)).toEqual(['127.0.0.250']);

    // Streamed: results in completion order (and once more in reverse), spooled, never held.
    for (const sequence of [order, [...order].reverse()]) {
      const builder = new ReportBuilder(model);
      const tested = streamed!.recorder();
      const spool = ResultSpool.create(endpoints.length, path.join(dir, 'streamed.json'));
      try {
        for (const i of sequence) {
          const { endpoint, finding } = builder.add(structuredClone(raw[i]!), i);
          tested.note(endpoint, finding !== undefined);
          spool.append(i, renderJsonEndpoint(endpoint));
        }
        const b = streamed!.annotate(builder.finish(run), tested);
        expect(b.endpoints).toEqual([]);
        expect(await collect(renderJsonChunks(b, spool.read()))).toBe(expected);
        const file = path.join(dir, 'streamed.json');
        await writeAtomicStream(file, renderJsonChunks(b, spool.read()));
        expect(readFileSync(file, 'utf8')).toBe(expected);
        if (sequence === order) {
          expect(await inMemory!.finish(a)).toBeUndefined();
          expect(await streamed!.finish(b, tested)).toBeUndefined();
          expect(readFileSync(states[1]!, 'utf8')).toBe(readFileSync(states[0]!, 'utf8'));
        }
      } finally {
        spool.remove();
      }
    }
    const state = JSON.parse(readFileSync(states[0]!, 'utf8')) as { findings: Record<string, { asset: string; firstSeen: string }> };
    // Resolved: dropped. Not retested: kept. Seen before: first seen kept.
    expect(
      Object.values(state.findings)
        .map((e) => e.asset)
        .sort(),
    ).toEqual(['dashboards', 'search-prod', 'search.internal', 'tarpit']);
    expect(Object.values(state.findings).find((e) => e.asset === 'search.internal')!.firstSeen).toBe('2026-02-01T00:00:00.000Z');
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('the recorder keeps only watched endpoints and those that gave findings', () => {
    const r = new TestedRecorder(['127.0.0.1|1|redis']);
    const e = (port: number, status: EndpointResult['status']) => ({
      host: '127.0.0.1',
      port,
      service: 'redis',
      status,
      declaredHost: 'db',
      hostname: 'db',
    });
    r.note(e(1, 'closed'), false);
    r.note(e(2, 'closed'), false);
    r.note(e(3, 'exposed'), true);
    expect([r.retested('127.0.0.1|1|redis'), r.retested('127.0.0.1|2|redis')]).toEqual([true, false]);
    expect([r.endpoint('127.0.0.1|3|redis'), r.endpoint('127.0.0.1|1|redis')]).toEqual([{ declaredHost: 'db', hostname: 'db' }, undefined]);
    const t = new TestedRecorder(['127.0.0.1|1|redis']);
    t.note(e(1, 'timeout'), false);
    expect(t.retested('127.0.0.1|1|redis')).toBe(false);
  });
});

describe('the CLI: streamed when every output is JSON, in memory otherwise', () => {
  const continuous = (state: string) => ['--baseline', baselineFile, '--state', state];

  it('gives the same report both ways (clocks aside), the same state file, exit code and stdout', async () => {
    const [sa, sb] = ['cli-state-a.json', 'cli-state-b.json'].map((f) => path.join(dir, f));
    copyFileSync(stateFile, sa!);
    copyFileSync(stateFile, sb!);
    const streamedOut = path.join(dir, 'cli-streamed.json');
    const memoryOut = path.join(dir, 'cli-memory.json');
    // --out *.json only: streamed. Adding a Markdown report needs the whole model: in memory.
    const s = await cli([inventory, '--format', 'json', '--out', streamedOut, ...continuous(sa!)]);
    const m = await cli([inventory, '--format', 'json', '--out', memoryOut, '--out', path.join(dir, 'cli-memory.md'), ...continuous(sb!)]);
    // stderr: nothing but the re-check note (the baseline's exposures that got no verdict are probed again).
    expect([s.code, m.code]).toEqual([1, 1]);
    expect(s.stderr).toMatch(/^(exposure-audit: note: re-checking \d+ known exposures? [^\n]*\n)?$/);
    expect(m.stderr).toBe(s.stderr);
    expect(readFileSync(streamedOut, 'utf8')).toBe(s.stdout);
    expect(readFileSync(memoryOut, 'utf8')).toBe(m.stdout);
    expect(untimed(s.stdout)).toBe(untimed(m.stdout));
    expect(readFileSync(sa!, 'utf8')).toBe(readFileSync(sb!, 'utf8'));
    const report = parseReport(JSON.parse(s.stdout));
    expect(report.diff).toMatchObject({ new: 1, unchanged: 1, changedSeverity: 1 });
    expect(report.summary).toMatchObject({ endpoints: 6 + closed.length, suppressed: 1 });
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('-q with JSON files streams; the summary line is the in-memory one', async () => {
    const q = await cli([inventory, '-q', '--no-state', '--out', path.join(dir, 'q.json')]);
    const t = await cli([inventory, '-q', '--no-state', '--out', path.join(dir, 'q.md')]);
    expect(q.stdout).toBe(t.stdout);
    expect(q.stdout).toMatch(/^\d+ endpoints: .*not tested/);
    expect(parseReport(JSON.parse(readFileSync(path.join(dir, 'q.json'), 'utf8'))).summary.endpoints).toBe(6 + closed.length);
    expect((await cli([inventory, '-q', '--no-state'])).stdout).toBe(q.stdout);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('an error writing the report: exit 2, and neither spool nor temp file is left', async () => {
    const where = path.join(dir, 'error');
    mkdirSync(where);
    mkdirSync(path.join(where, 'taken.json'));
    const r = await cli([inventory, '--no-state', '--format', 'json', '--out', path.join(where, 'taken.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EA_OUTPUT: --out .*taken\.json: is a directory, not a file/);
    expect(r.stdout).toBe('');
    expect(leftovers(where)).toEqual([]);
    // stdout fails after the file is written: the file is complete, the spool is gone.
    const out = path.join(where, 'ok.json');
    const broken = await cli([inventory, '--no-state', '--format', 'json', '--out', out], {
      stdout: () => {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    });
    expect(broken.code).toBe(2);
    expect(parseReport(JSON.parse(readFileSync(out, 'utf8'))).run.complete).toBe(true);
    expect(leftovers(where)).toEqual([]);
  }, 60_000);

  it('streamed, a missing output directory: exit 2 before anything is probed', async () => {
    const before = stubs[0]!.requests.length;
    const r = await cli([inventory, '--no-state', '-q', '--out', path.join(dir, 'nowhere', 'r.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EA_OUTPUT: --out .*r\.json: the folder .* does not exist/);
    expect(stubs[0]!.requests.length).toBe(before);
  });

  it('interrupted: a complete:false report, written atomically, every endpoint in it or counted as never started, no spool left', async () => {
    const where = path.join(dir, 'interrupt');
    mkdirSync(where);
    const out = path.join(where, 'r.json');
    const ac = new AbortController();
    // The tarpit holds its endpoint for the whole 3 s deadline: interrupt while it does.
    const timer = setTimeout(() => ac.abort(), 300);
    const r = await cli([inventory, '--no-state', '--format', 'json', '--out', out, '--concurrency', '2', '--per-host-concurrency', '1'], {
      signal: ac.signal,
    });
    clearTimeout(timer);
    expect(r.code).toBe(130);
    const report = parseReport(JSON.parse(readFileSync(out, 'utf8')));
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    expect(report.run.complete).toBe(false);
    // Rows for what was started (the tarpit's probe ends as EA_ABORTED), one count for what never was.
    expect(report.endpoints.length + (report.run.notStarted ?? 0)).toBe(6 + closed.length);
    expect(report.endpoints.some((e) => e.error?.code === 'EA_ABORTED') || (report.run.notStarted ?? 0) > 0).toBe(true);
    expect(report.summary.endpoints).toBe(report.endpoints.length);
    expect(leftovers(where)).toEqual([]);
  }, 60_000);
});
