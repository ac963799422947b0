import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { always, defineProbe, type ProbeResult } from '../src/probe.js';
import { excerpt, indexListing, parseCatIndices, parseJson, securityDenial } from '../src/protocols/elasticsearch.js';

/**
 * Kibana (5601). Two requests, the second only once the first has identified Kibana:
 *
 * 1. `GET /api/status`. Kibana stamps every reply with `kbn-name` (server.name).
 *    - 200 (or 503 while Elasticsearch is down) JSON with `version.number` (≤ 6.x: `version` as a string) and
 *      `status.overall`: Kibana identified and its status readable without login.
 *    - 401 (Boom body `{"statusCode":401,"error":"Unauthorized",…}`): security on.
 *    - 302 to `/login?next=…` (5.x/6.x X-Pack security): security on. Redirects are returned, never followed.
 *    - ≥ 8.x with security on answers a redacted 200 `{"status":{"overall":{"level":…}}}` (no version) to
 *      unauthenticated requests instead of 401: that is auth-required, not open.
 * 2. Data reach: `POST /api/console/proxy?path=%2F_cat%2Findices%3Fformat%3Djson&method=GET` with `kbn-xsrf: true`.
 *    This is Dev Tools Console's proxy. Kibana only exposes it as POST; `method=GET` makes Kibana send Elasticsearch
 *    a GET of `/_cat/indices?format=json`, so the request is read-only end to end, and the body is empty. The
 *    proxy answers 200 whatever ES said; 8.x carries ES's status in `x-console-proxy-status-code`.
 *    - JSON array of index rows: Elasticsearch data is reachable through Kibana without credentials.
 *    - 401 / login redirect: only the status page is anonymous (`status.allowAnonymous`), data needs a login.
 */
export const consoleProxyPath = '/api/console/proxy?path=%2F_cat%2Findices%3Fformat%3Djson&method=GET';
const statusPath = '/api/status';
/** The full status lists every plugin (tens of KiB); the proxy reply is capped by the run's byte cap. */
const statusMaxBytes = 256 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kibana's login page: `/login?next=…` (≤ 7.x), `/app/login`, `/spaces/space_selector` after login, any base path. */
function isLoginRedirect(res: HttpResponse): boolean {
  if (!res.redirect) return false;
  try {
    const u = new URL(res.redirect.location, 'http://kibana.invalid');
    return /\/(app\/)?login\b/.test(u.pathname);
  } catch {
    return false;
  }
}

function kibanaBoom(body: unknown, status: number): boolean {
  return isObject(body) && body.statusCode === status && typeof body.error === 'string';
}

interface StatusInfo {
  version?: string;
  level?: string;
  name?: string;
  redacted: boolean;
}

/** A Kibana status body, full or redacted; undefined for anything else. */
function statusInfo(body: unknown): StatusInfo | undefined {
  if (!isObject(body) || !isObject(body.status) || !isObject(body.status.overall)) return undefined;
  const overall = body.status.overall;
  // v8 format: `level`; v7 and legacy formats: `state` (green/yellow/red).
  const level = typeof overall.level === 'string' ? overall.level : typeof overall.state === 'string' ? overall.state : undefined;
  const v = body.version;
  const version = isObject(v) && typeof v.number === 'string' ? v.number : typeof v === 'string' ? v : undefined;
  if (version && !/^\d+\.\d+/.test(version)) return undefined;
  const redacted = !version && Object.keys(body).length === 1;
  if (!version && !redacted) return undefined;
  return {
    ...(version ? { version: version.slice(0, 40) } : {}),
    ...(level ? { level: level.slice(0, 40) } : {}),
    ...(typeof body.name === 'string' ? { name: body.name.slice(0, 200) } : {}),
    redacted,
  };
}

export default defineProbe({
  meta: {
    id: 'kibana',
    service: 'kibana',
    title: 'Kibana without authentication',
    description:
      'GET /api/status identifies Kibana and shows whether it asks for a login; when it does not, the read-only Console proxy (POST, forwarded to Elasticsearch as GET /_cat/indices) shows whether Elasticsearch data is reachable through it.',
    defaultPorts: [5601],
    transport: 'http',
    tls: 'optional',
    sends: always(
      `GET ${statusPath}`,
      // POST is the only method Kibana's Console proxy accepts; `method=GET` makes the forwarded request a GET of
      // `_cat/indices` (read-only), the body is empty, and it is sent only after GET /api/status identified Kibana.
      `POST ${consoleProxyPath}`,
    ),
    impact: 'data-store',
    exposure:
      'anyone who can reach the port gets Kibana without a login: dashboards, saved objects and, through Dev Tools, every Elasticsearch API Kibana can call',
    remediation:
      'Enable Elasticsearch security so Kibana requires a login (xpack.security), keep status.allowAnonymous off, put Kibana behind an authenticating proxy if needed, bind server.host to a private interface, and firewall 5601.',
    references: [
      'https://www.elastic.co/guide/en/kibana/current/using-kibana-with-security.html',
      'https://www.elastic.co/guide/en/kibana/current/console-kibana.html',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const statusProof = `GET ${statusPath}`;
    const res = await ctx.http({ path: statusPath, maxBytes: statusMaxBytes });
    const kbnName = res.headers['kbn-name']?.slice(0, 200);
    const facts: Record<string, unknown> = kbnName ? { kbnName } : {};
    const body = parseJson(res.text);
    const reply = excerpt(res);

    if (isLoginRedirect(res)) {
      return {
        status: 'auth-required',
        evidence: {
          ...(kbnName ? { product: 'Kibana' } : {}),
          proof: statusProof,
          reply: `${res.status} → ${res.redirect!.location.slice(0, 200)}`,
          notes: ['redirects to a login page (not followed)'],
        },
        facts,
      };
    }
    if (res.status === 401) {
      const identified = !!kbnName || kibanaBoom(body, 401);
      if (identified || res.headers['www-authenticate']) {
        return {
          status: 'auth-required',
          evidence: {
            ...(identified ? { product: 'Kibana' } : {}),
            proof: statusProof,
            reply,
            ...(identified ? {} : { notes: ['credentials demanded by a front end that does not identify as Kibana'] }),
          },
          facts,
        };
      }
    }

    const info = (res.status === 200 || res.status === 503) && !res.truncated ? statusInfo(body) : undefined;
    if (!info) {
      const notes = res.redirect ? [`redirects to ${res.redirect.location.slice(0, 200)} (not followed)`] : [];
      return { status: 'not-detected', evidence: { proof: statusProof, reply, ...(notes.length ? { notes } : {}) }, facts };
    }
    if (info.level) facts.overall = info.level;
    if (info.redacted) {
      return {
        status: 'auth-required',
        evidence: { product: 'Kibana', proof: statusProof, reply, notes: ['status redacted for unauthenticated requests (security on)'] },
        facts,
      };
    }

    // Identified, and the status page answered without a login. Now: does it hand out Elasticsearch data?
    Object.assign(facts, { version: info.version, ...(info.name ? { serverName: info.name } : {}), statusReadable: true });
    const evidence = { product: 'Kibana', version: info.version!, proof: statusProof, reply };
    const proxyProof = `POST ${consoleProxyPath}`;
    let proxy: HttpResponse;
    try {
      proxy = await ctx.http({ method: 'POST', path: consoleProxyPath, headers: { 'kbn-xsrf': 'true' }, body: '' });
    } catch (err) {
      if (isEaError(err, 'EA_ABORTED')) throw err;
      // The status page already answered without a login; the proxy's fate is recorded, not the verdict.
      const code = isEaError(err) ? err.code : 'EA_PROBE_CRASH';
      return { status: 'exposed', evidence: { ...evidence, notes: [`console proxy: ${code}; data reach unknown`] }, facts };
    }
    const proxyReply = excerpt(proxy);

    if (proxy.status === 401 || isLoginRedirect(proxy)) {
      return {
        status: 'auth-required',
        evidence: {
          ...evidence,
          proof: proxyProof,
          reply: proxyReply,
          notes: ['status page is anonymous (status.allowAnonymous); the console requires a login'],
        },
        facts: { ...facts, dataReachable: false },
      };
    }

    // 8.x passes ES's status in a header; 7.x only in the forwarded error body (`"status": 401`).
    const proxyBody = parseJson(proxy.text);
    const bodyStatus = isObject(proxyBody) && typeof proxyBody.status === 'number' ? proxyBody.status : undefined;
    const esStatus = Number(proxy.headers['x-console-proxy-status-code'] ?? bodyStatus ?? proxy.status);
    const parsed = proxy.status === 200 && esStatus >= 200 && esStatus < 300 ? await parseCatIndices(proxy.text) : undefined;
    if (parsed) {
      const listing = await indexListing(parsed, ctx.caps);
      return {
        status: 'exposed',
        evidence: {
          ...evidence,
          proof: proxyProof,
          reply: `200 ${parsed.rows.length}${parsed.complete ? '' : '+'} indices listed through the console proxy`,
          ...(proxy.truncated ? { truncated: true } : {}),
          ...(listing.notes.length ? { notes: listing.notes } : {}),
        },
        facts: { ...facts, ...listing.facts, dataReachable: true },
        data: listing.data,
      };
    }

    const esDenial = proxy.status === 200 ? securityDenial({ ...proxy, status: esStatus }, proxyBody) : undefined;
    if (esDenial) {
      // Kibana let us in; Elasticsearch behind it refused the forwarded request.
      return {
        status: 'exposed',
        evidence: {
          ...evidence,
          proof: proxyProof,
          reply: proxyReply,
          limited: true,
          notes: [`Elasticsearch refused the proxied request: ${esDenial.reason}`],
        },
        facts: { ...facts, dataReachable: false },
      };
    }
    return {
      status: 'exposed',
      evidence: {
        ...evidence,
        notes: [
          `console proxy answered ${proxy.status}${proxy.headers['x-console-proxy-status-code'] ? ` (Elasticsearch ${esStatus})` : ''}: ${proxyReply.slice(0, 160)}`,
        ],
      },
      facts: { ...facts, dataReachable: false },
    };
  },
});
