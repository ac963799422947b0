import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { always, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import { sampleSources } from '../src/risk/sample.js';
import type { DataItem } from '../src/types.js';

/**
 * InfluxDB 1.x and 2.x on 8086.
 * - `/ping` (204 + X-Influxdb-Version) answers with or without auth on both: never exposure proof, never sent.
 * - 1.x: `GET /query?q=SHOW DATABASES`. GET is read-only by the server's own rule: a GET carrying anything but
 *   SELECT/SHOW is refused ("... queries must use POST", influxdata/influxdb v1 services/httpd/handler.go
 *   serveQuery). 200 with a `databases` series = exposed; 401 "unable to parse authentication credentials" /
 *   "authorization failed" = auth-required; 403 "create admin user first or disable authentication" = auth is on
 *   but no admin exists yet, and the first `CREATE USER … WITH ALL PRIVILEGES` from anyone is accepted (unclaimed).
 * - 2.x: every API wants a token (401 `{"code":"unauthorized"}`), except `/api/v2/setup`, which says whether the
 *   instance was ever onboarded: `{"allowed":true}` = anyone can claim it with POST /api/v2/setup (never sent).
 *   `/health` carries the version without auth (fingerprint only).
 */
const dbCap = 20;
const q = (influxql: string) => `/query?q=${encodeURIComponent(influxql)}`;
/** InfluxQL identifier quoting: double quotes, with `\` and `"` escaped. */
const ident = (name: string) => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const paths = {
  databases: q('SHOW DATABASES'),
  measurements: (db: string) => q(`SHOW MEASUREMENTS ON ${ident(db)} LIMIT 1000`),
  fields: (db: string) => q(`SHOW FIELD KEYS ON ${ident(db)}`),
  retention: (db: string) => q(`SHOW RETENTION POLICIES ON ${ident(db)}`),
  // Opt-in (--sample N) only: a few points of a sensitive-looking measurement, default retention policy. GET = read.
  sample: (db: string, m: string, rows: number) => q(`SELECT * FROM ${ident(db)}..${ident(m)} LIMIT ${rows}`),
  setup: '/api/v2/setup',
  buckets: '/api/v2/buckets?limit=100',
  health: '/health',
};

/** A per-database path as declared in meta.sends, with `<db>` where the (URL-encoded) name goes. */
const placeholder = (f: (db: string) => string) => f('DBNAME').replace('DBNAME', '<db>');

interface Series {
  name?: string;
  columns?: unknown[];
  values?: unknown[][];
}

function json(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    return undefined;
  }
}

/** The series of the first statement result, or undefined when the body is not an InfluxQL result. */
function seriesOf(body: unknown): Series[] | undefined {
  const results = (body as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results) || results.length === 0 || typeof results[0] !== 'object' || results[0] === null) return undefined;
  const r0 = results[0] as { series?: unknown; error?: unknown };
  if (r0.error !== undefined) return undefined;
  return Array.isArray(r0.series) ? (r0.series.filter((s) => typeof s === 'object' && s !== null) as Series[]) : [];
}

function column(series: Series, name: string): number {
  return Array.isArray(series.columns) ? series.columns.indexOf(name) : -1;
}

const str = (v: unknown, max = 256) => (typeof v === 'string' ? v.slice(0, max) : undefined);

export default defineProbe({
  meta: {
    id: 'influxdb',
    service: 'influxdb',
    title: 'InfluxDB without authentication',
    description:
      '1.x: SHOW DATABASES over GET /query (then measurements, field keys, retention policies); 2.x: /api/v2/setup (unclaimed) and /api/v2/buckets (401 = token required).',
    defaultPorts: [8086],
    transport: 'http',
    tls: 'optional',
    sends: [
      ...always(
        `GET ${paths.databases}`,
        `GET ${placeholder(paths.measurements)}`,
        `GET ${placeholder(paths.fields)}`,
        `GET ${placeholder(paths.retention)}`,
        `GET ${paths.setup}`,
        `GET ${paths.buckets}`,
        `GET ${paths.health}`,
      ),
      // 1.x, up to 10 sensitive-looking measurements; declared decoded (names are URL-encoded on the wire).
      { request: 'GET /query?q=SELECT * FROM "<db>".."<measurement>" LIMIT <N>', when: '--sample' },
    ],
    exposure:
      'anyone who can reach the port can query and write every database (1.x with auth-enabled = false), or claim an unconfigured 2.x instance as its first administrator',
    remediation:
      '1.x: set [http] auth-enabled = true and create an admin user; 2.x: complete onboarding (influx setup) right after install; bind to private interfaces and firewall 8086.',
    references: [
      'https://docs.influxdata.com/influxdb/v1/administration/authentication_and_authorization/',
      'https://docs.influxdata.com/influxdb/v2/api/#operation/GetSetup',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const res = await ctx.http({ path: paths.databases, maxBytes: 256 * 1024 });
    const versionHeader = res.headers['x-influxdb-version']?.slice(0, 64);
    const body = json(res);
    const reply = `${res.status} ${res.text.slice(0, 200).trim()}`;
    const proof = `GET ${paths.databases}`;
    const err = typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : '';
    const is2x = /^v?2\./.test(versionHeader ?? '') || (res.status === 401 && (body as { code?: unknown })?.code === 'unauthorized');

    if (!is2x) {
      const series = res.status === 200 && versionHeader ? seriesOf(body) : undefined;
      const dbSeries = series?.find((s) => s.name === 'databases' && column(s, 'name') === 0);
      if (dbSeries) return exposed1x(ctx, dbSeries, versionHeader, proof);
      if (versionHeader || /authentication credentials|authorization failed|create admin user first/.test(err)) {
        const evidence = { product: 'InfluxDB', ...(versionHeader ? { version: versionHeader } : {}), proof, reply };
        if (res.status === 401) return { status: 'auth-required', evidence, facts: { majorVersion: 1 } };
        if (res.status === 403 && /create admin user first/.test(err))
          return {
            status: 'exposed',
            unclaimed:
              'InfluxDB 1.x: auth-enabled with no admin user yet — the first CREATE USER … WITH ALL PRIVILEGES from anyone is accepted',
            evidence: { ...evidence, limited: true },
            facts: { majorVersion: 1 },
          };
      }
      if (!versionHeader) return { status: 'not-detected', evidence: { proof, reply }, facts: {} };
      // An InfluxDB 1.x header with a reply we cannot read: identified, undecided.
      return {
        status: 'error',
        evidence: { product: 'InfluxDB', version: versionHeader, proof, reply },
        facts: {},
        error: { code: 'EA_PROTOCOL', message: `unexpected InfluxDB reply ${res.status}` },
      };
    }

    // 2.x: version from /health (public), then the setup state, then the token check.
    const facts: Record<string, unknown> = { majorVersion: 2 };
    let version = versionHeader;
    const health = await ctx.http({ path: paths.health, maxBytes: 16 * 1024 }).catch((e: unknown) => {
      if (isEaError(e, 'EA_ABORTED')) throw e;
      return undefined;
    });
    const h = health?.status === 200 ? (json(health) as { name?: unknown; version?: unknown } | undefined) : undefined;
    if (h?.name === 'influxdb' && str(h.version, 64)) version = str(h.version, 64);
    const evidenceBase = { product: 'InfluxDB', ...(version ? { version } : {}) };
    const setup = await ctx.http({ path: paths.setup, maxBytes: 16 * 1024 });
    const allowed = setup.status === 200 ? (json(setup) as { allowed?: unknown } | undefined)?.allowed : undefined;
    if (allowed === true)
      return {
        status: 'exposed',
        unclaimed:
          'GET /api/v2/setup answered {"allowed":true}: the instance was never onboarded, and anyone who reaches it can create the first user, organization and all-access token',
        evidence: {
          ...evidenceBase,
          proof: `GET ${paths.setup}`,
          reply: `${setup.status} ${setup.text.slice(0, 120).trim()}`,
          limited: true,
        },
        facts: { ...facts, setupAllowed: true },
      };
    const buckets = await ctx.http({ path: paths.buckets, maxBytes: 256 * 1024 });
    const bReply = `${buckets.status} ${buckets.text.slice(0, 200).trim()}`;
    const list = buckets.status === 200 ? (json(buckets) as { buckets?: unknown } | undefined)?.buckets : undefined;
    if (Array.isArray(list)) {
      const names = list.map((b) => str((b as { name?: unknown })?.name)).filter((n): n is string => !!n);
      const items: DataItem[] = names.slice(0, ctx.caps.items).map((name) => ({ kind: 'bucket', name }));
      return {
        status: 'exposed',
        evidence: { ...evidenceBase, proof: `GET ${paths.buckets}`, reply: bReply },
        facts: { ...facts, setupAllowed: allowed },
        data: {
          items,
          totals: { databases: names.length },
          ...(names.length > ctx.caps.items || names.length >= 100 ? { truncated: true } : {}),
        },
      };
    }
    if (buckets.status === 401)
      return {
        status: 'auth-required',
        evidence: { ...evidenceBase, proof: `GET ${paths.buckets}`, reply: bReply },
        facts: { ...facts, ...(allowed === false ? { setupAllowed: false } : {}) },
      };
    return {
      status: 'error',
      evidence: { ...evidenceBase, proof: `GET ${paths.buckets}`, reply: bReply },
      facts,
      error: { code: 'EA_PROTOCOL', message: `unexpected InfluxDB 2 reply ${buckets.status}` },
    };
  },
});

async function exposed1x(ctx: ProbeContext, dbSeries: Series, version: string | undefined, proof: string): Promise<ProbeResult> {
  const dbs = (dbSeries.values ?? []).map((v) => (Array.isArray(v) ? str(v[0]) : undefined)).filter((n): n is string => !!n);
  let truncated = false;
  const items: DataItem[] = [];
  const retentionPolicies: Record<string, Array<{ name: string; duration: string; default: boolean }>> = Object.create(null);
  const get = async (path: string): Promise<Series[] | undefined> => {
    try {
      const res = await ctx.http({ path, maxBytes: 256 * 1024 });
      if (res.truncated) truncated = true;
      return res.status === 200 ? seriesOf(json(res)) : undefined;
    } catch (err) {
      // A failed metadata query does not undo the proof; the deadline still bounds the run.
      if (isEaError(err, 'EA_ABORTED')) throw err;
      truncated = true;
      return undefined;
    }
  };
  let measurementsTotal = 0;
  const origin = new Map<DataItem, [string, string]>();
  for (const db of dbs.slice(0, dbCap)) {
    items.push({ kind: 'database', name: db });
    if (db === '_internal') continue; // the server's own monitoring database
    const ms = (await get(paths.measurements(db)))?.find((s) => s.name === 'measurements');
    const names = (ms?.values ?? []).map((v) => (Array.isArray(v) ? str(v[0]) : undefined)).filter((n): n is string => !!n);
    if (names.length >= 1000) truncated = true;
    measurementsTotal += names.length;
    const byName = new Map<string, DataItem>();
    for (const m of names) {
      const item: DataItem = { kind: 'measurement', name: `${db}.${m}` };
      byName.set(m, item);
      origin.set(item, [db, m]);
      items.push(item);
    }
    for (const s of (await get(paths.fields(db))) ?? []) {
      const item = typeof s.name === 'string' ? byName.get(s.name) : undefined;
      if (!item) continue;
      const fields = (s.values ?? []).map((v) => (Array.isArray(v) ? str(v[0], 128) : undefined)).filter((n): n is string => !!n);
      item.fields = fields.slice(0, ctx.caps.fields);
      if (fields.length > ctx.caps.fields) truncated = true;
    }
    const rp = (await get(paths.retention(db)))?.[0];
    if (rp) {
      const [n, d, def] = ['name', 'duration', 'default'].map((c) => column(rp, c));
      retentionPolicies[db] = (rp.values ?? [])
        .slice(0, 20)
        .flatMap((v) =>
          Array.isArray(v) && str(v[n!]) ? [{ name: str(v[n!])!, duration: str(v[d!], 32) ?? '', default: v[def!] === true }] : [],
        );
    }
  }
  if (dbs.length > dbCap || items.length > ctx.caps.items) truncated = true;
  const sample =
    ctx.sample.rows > 0
      ? await sampleSources(
          ctx,
          items,
          'measurement',
          (i) => origin.get(i)?.[1] ?? i.name,
          (i) => ({ path: paths.sample(...origin.get(i)!, ctx.sample.rows), maxBytes: 256 * 1024 }),
          (text) => {
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              return [];
            }
            return (seriesOf(body) ?? []).flatMap((s) =>
              (s.values ?? []).map((row) => (Array.isArray(row) ? row.map((v) => String(v)) : [])),
            );
          },
        )
      : undefined;
  return {
    status: 'exposed',
    evidence: {
      product: 'InfluxDB',
      ...(version ? { version } : {}),
      proof,
      reply: `200 databases: ${dbs.slice(0, 10).join(', ')}`.slice(0, 200),
      notes: ['/ping answers without credentials on every InfluxDB: only SHOW DATABASES proves access'],
      ...(truncated ? { truncated: true } : {}),
    },
    // Retention policies (duration "0s" = keep forever) are kept as facts: how far back the readable data goes.
    facts: { majorVersion: 1, retentionPolicies },
    data: {
      items: items.slice(0, ctx.caps.items),
      totals: { databases: dbs.length, tables: measurementsTotal },
      ...(sample ? { sample } : {}),
      ...(truncated ? { truncated } : {}),
    },
  };
}
