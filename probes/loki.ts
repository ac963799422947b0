import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { always, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import type { DataItem } from '../src/types.js';

/**
 * Grafana Loki HTTP API (3100). Loki has no authentication of its own: `auth_enabled: true` turns on multi-tenancy,
 * and a request without `X-Scope-OrgID` gets `401 no org id` (https://grafana.com/docs/loki/latest/operations/multi-tenancy/).
 * We never send a tenant header (guessing one is guessing a credential), so that 401 reads as auth-required.
 * Proof: `GET /loki/api/v1/labels` → `{"status":"success","data":[…]}` (https://grafana.com/docs/loki/latest/reference/loki-http-api/#query-labels).
 * `/ready` and `/loki/api/v1/status/buildinfo` answer to anyone and prove nothing; buildinfo is read for the version.
 * Then the values of a few labels, names only (never a log line: no query_range, no tail).
 */
const labelCap = 5;
const valueCap = 50;
const paths = {
  labels: '/loki/api/v1/labels',
  values: (label: string) => `/loki/api/v1/label/${encodeURIComponent(label)}/values`,
  buildinfo: '/loki/api/v1/status/buildinfo',
};

function success(res: HttpResponse): string[] | undefined {
  if (res.status !== 200) return undefined;
  try {
    const body = JSON.parse(res.text) as { status?: unknown; data?: unknown };
    if (body?.status !== 'success' || !Array.isArray(body.data)) return undefined;
    return body.data.filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, 256));
  } catch {
    return undefined;
  }
}

async function buildVersion(ctx: ProbeContext): Promise<string | undefined> {
  try {
    const res = await ctx.http({ path: paths.buildinfo, maxBytes: 16 * 1024 });
    const v = (JSON.parse(res.text) as { version?: unknown }).version;
    return res.status === 200 && typeof v === 'string' ? v.slice(0, 64) : undefined;
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return undefined;
  }
}

export default defineProbe({
  meta: {
    id: 'loki',
    service: 'loki',
    title: 'Grafana Loki without authentication',
    description:
      'GET /loki/api/v1/labels: 200 success proves the log store answers anyone; 401 "no org id" is multi-tenant mode. Then buildinfo and the values of a few labels (names only, never log lines).',
    defaultPorts: [3100],
    transport: 'http',
    tls: 'optional',
    sends: always(`GET ${paths.labels}`, `GET ${paths.buildinfo}`, `GET ${paths.values('<label>')}`.replace('%3Clabel%3E', '<label>')),
    exposure: 'anyone who can reach the port can query every log stream (where API keys and personal data leak) and push log lines',
    remediation:
      'Put Loki behind an authenticating reverse proxy or gateway, enable multi-tenancy with tenant headers set only by that proxy, bind to private interfaces and firewall 3100.',
    references: [
      'https://grafana.com/docs/loki/latest/operations/authentication/',
      'https://grafana.com/docs/loki/latest/reference/loki-http-api/',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const res = await ctx.http({ path: paths.labels, maxBytes: 256 * 1024 });
    const proof = `GET ${paths.labels}`;
    const reply = `${res.status} ${res.text.slice(0, 200).trim()}`;
    const labels = success(res);
    if (!labels) {
      if (res.status === 401 && /^no org id\s*$/.test(res.text)) {
        const version = await buildVersion(ctx);
        return {
          status: 'auth-required',
          evidence: {
            product: 'Loki',
            ...(version ? { version } : {}),
            proof,
            reply,
            notes: [
              'multi-tenant mode: a tenant header (X-Scope-OrgID) is required; it is an identifier, not a secret, so whatever sets it must authenticate',
            ],
          },
          facts: { multiTenant: true },
        };
      }
      return { status: 'not-detected', evidence: { proof, reply }, facts: {} };
    }
    // A success envelope alone also fits Prometheus's /api/v1/labels shape: buildinfo must name Loki's version too.
    const version = await buildVersion(ctx);
    if (!version) return { status: 'not-detected', evidence: { proof, reply, notes: ['a labels list without Loki buildinfo'] }, facts: {} };
    let truncated = labels.length > ctx.caps.items;
    const items: DataItem[] = [];
    for (const label of labels.slice(0, ctx.caps.items)) {
      const item: DataItem = { kind: 'label', name: label };
      items.push(item);
      if (items.length > labelCap || label === '__name__') continue;
      try {
        const v = await ctx.http({ path: paths.values(label), maxBytes: 256 * 1024 });
        const values = success(v);
        if (values) {
          item.rows = values.length;
          item.fields = values.slice(0, Math.min(valueCap, ctx.caps.fields));
          if (values.length > item.fields.length || v.truncated) truncated = true;
        }
      } catch (err) {
        if (isEaError(err, 'EA_ABORTED')) throw err;
        truncated = true;
      }
    }
    return {
      status: 'exposed',
      evidence: {
        product: 'Loki',
        version,
        proof,
        reply,
        notes: ['/ready and buildinfo answer anyone: only the labels API proves access'],
        ...(truncated ? { truncated: true } : {}),
      },
      facts: { labels: labels.length },
      data: { items, totals: { keys: labels.length }, ...(truncated ? { truncated } : {}) },
    };
  },
});
