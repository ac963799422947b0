import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { extendDeadline, remaining } from '../src/net/limits.js';
import { always, busyResult, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import { sampleSources } from '../src/risk/sample.js';
import { knownDate } from '../src/risk/data-age.js';
import type { AccessTraces, DataItem, DataSample } from '../src/types.js';
import {
  compact,
  esError,
  excerpt,
  indexListing,
  isObject,
  mappingFields,
  parseCatIndices,
  parseJson,
  rootInfo,
  salvageFieldNames,
  securityDenial,
  str,
  type IndexListing,
} from '../src/protocols/elasticsearch.js';

/**
 * Elasticsearch / OpenSearch REST (9200; 9243 is the Elastic Cloud TLS port). GET only, metadata only: never
 * `_search`, `_doc` or anything that returns documents, and nothing that writes.
 *
 * - `GET /` fingerprints (name, cluster_name, cluster_uuid, version.*, tagline) but proves nothing on its own.
 * - Proof of access is `_cat/indices?format=json` answering a 200 JSON array of rows that each carry `index`: a
 *   catch-all front end replaying one body for every path cannot produce both the root object and that array, so
 *   the match is on body structure, never on status alone.
 * - Security on, no credentials: 401 `security_exception` with `WWW-Authenticate: Basic realm="security"` ("missing
 *   authentication credentials", ≤ 6.8 "missing authentication token"); OpenSearch: 401 `text/plain` `Unauthorized`,
 *   realm "OpenSearch Security".
 * - Anonymous access enabled but the anonymous role lacks the privilege: 403 `security_exception` naming the
 *   anonymous user (`_anonymous`, OpenSearch `opendistro_security_anonymous`): logged in without credentials, limited.
 * - 7.13–7.17 with security implicitly off add `Warning: 299 … security features are not enabled` to every reply.
 * - ES 8 enables security and HTTPS by default: plaintext gets no HTTP reply, and the engine retries over TLS.
 */
const catColumns = 'index,health,status,docs.count,store.size';
export const catIndicesPath = `/_cat/indices?format=json&bytes=b&h=${catColumns}`;
const healthPath = '/_cluster/health';
/** Index creation time (epoch ms) per index: metadata, the index is at least this old (issue 13). */
const creationDatePath = '/_cat/indices?format=json&h=index,creation.date';
/** HTTP connection counters per node (total_opened since each node started): counts, not who. */
const nodeHttpStatsPath = '/_nodes/stats/http';
const mappingPath = (index: string): string => `/${encodeURIComponent(index)}/_mapping`;
/** Field names are read for at most this many indices: the most suspicious names first, then the largest. */
const mappingIndices = 20;
/** A mapping can be megabytes (thousands of fields); names only are needed. */
const mappingMaxBytes = 256 * 1024;
const smallMaxBytes = 64 * 1024;
/** Stop reading metadata when less than this is left of the deadline: the proof is already in hand. */
const metadataReserveMs = 150;

async function tryHttp(ctx: ProbeContext, path: string, maxBytes: number): Promise<HttpResponse | undefined> {
  try {
    return await ctx.http({ path, maxBytes });
  } catch (err) {
    // Metadata after the proof: a failure here does not undo the exposure (the deadline still bounds it).
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return undefined;
  }
}

/** `_cluster/health` and field names of the most interesting indices. Never documents. */
async function readMetadata(
  ctx: ProbeContext,
  listing: IndexListing,
): Promise<{ truncated: boolean; byteCut: boolean; facts: Record<string, unknown> }> {
  const facts: Record<string, unknown> = {};
  let truncated = false;
  let byteCut = false;
  const health = await tryHttp(ctx, healthPath, smallMaxBytes);
  const hb = health?.status === 200 ? parseJson(health.text) : undefined;
  if (isObject(hb)) {
    facts.clusterHealth = compact({
      status: str(hb.status),
      numberOfNodes: typeof hb.number_of_nodes === 'number' ? hb.number_of_nodes : undefined,
      numberOfDataNodes: typeof hb.number_of_data_nodes === 'number' ? hb.number_of_data_nodes : undefined,
      activeShards: typeof hb.active_shards === 'number' ? hb.active_shards : undefined,
    });
  }
  const listed = new Map(listing.data.items.map((i) => [i.name, i]));
  const targets = listing.ordered.filter((r) => r.status !== 'close' && listed.has(r.index)).slice(0, mappingIndices);
  let mapped = 0;
  for (const row of targets) {
    if (remaining(ctx.limits) < metadataReserveMs) {
      truncated = true;
      break;
    }
    const res = await tryHttp(ctx, mappingPath(row.index), mappingMaxBytes);
    if (!res) {
      truncated = true;
      break;
    }
    if (res.status !== 200) continue;
    const item = listed.get(row.index)!;
    if (res.truncated) {
      item.fields = salvageFieldNames(res.text, ctx.caps.fields);
      truncated = true;
      byteCut = true;
    } else {
      const m = mappingFields(parseJson(res.text), row.index, ctx.caps.fields);
      item.fields = m.fields;
      truncated ||= m.truncated;
    }
    mapped++;
  }
  facts.mappingsRead = mapped;
  return { truncated, byteCut, facts };
}

/** Every string leaf of a document, for the secret scan (bounded depth and count). */
function stringLeaves(v: unknown, out: string[], depth = 0): void {
  if (out.length > 10_000 || depth > 16) return;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringLeaves(x, out, depth + 1);
  else if (isObject(v)) for (const x of Object.values(v)) stringLeaves(x, out, depth + 1);
}

/** Opt-in: `size=N` documents of each sensitive-looking index, largest first; each document's string leaves. */
function sampleIndices(ctx: ProbeContext, items: DataItem[]): Promise<DataSample> {
  return sampleSources(
    ctx,
    items,
    'index',
    (i) => i.name,
    (i) => ({ path: `/${encodeURIComponent(i.name)}/_search?size=${ctx.sample.rows}`, maxBytes: mappingMaxBytes }),
    (text) => {
      const body = parseJson(text);
      const hits = isObject(body) && isObject(body.hits) && Array.isArray(body.hits.hits) ? body.hits.hits : [];
      return hits.map((h) => {
        const values: string[] = [];
        stringLeaves(isObject(h) ? h._source : undefined, values);
        return values;
      });
    },
  );
}

function limitedResult(
  product: string,
  proof: string,
  reply: string,
  facts: Record<string, unknown>,
  notes: string[],
  version?: string,
): ProbeResult {
  return {
    status: 'exposed',
    evidence: { product, ...(version ? { version } : {}), proof, reply, limited: true, ...(notes.length ? { notes } : {}) },
    facts,
  };
}

export default defineProbe({
  meta: {
    id: 'elasticsearch',
    service: 'elasticsearch',
    title: 'Elasticsearch / OpenSearch without authentication',
    description:
      'GET / fingerprints; GET /_cat/indices answering a JSON listing proves access; then cluster health and field names (never documents).',
    defaultPorts: [9200, 9243],
    tlsPorts: [9243],
    transport: 'http',
    tls: 'optional',
    sends: [
      ...always('GET /', `GET ${catIndicesPath}`, `GET ${healthPath}`, 'GET /<index>/_mapping'),
      // Up to 10 sensitive-looking indices.
      { request: 'GET /<index>/_search?size=<N>', when: '--sample' },
      ...always(`GET ${creationDatePath}`, `GET ${nodeHttpStatsPath}`),
    ],
    impact: 'data-store',
    exposure: 'anyone who can reach the port can read every index, and unless roles say otherwise write, delete and snapshot them',
    remediation:
      'Enable security (xpack.security.enabled: true, or the OpenSearch security plugin) with passwords for built-in users, disable or restrict anonymous access, bind http.host to private interfaces, and firewall 9200.',
    references: [
      'https://www.elastic.co/guide/en/elasticsearch/reference/current/security-minimal-setup.html',
      'https://www.elastic.co/guide/en/elasticsearch/reference/current/cat-indices.html',
      'https://opensearch.org/docs/latest/security/',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const rootProof = 'GET /';
    const root = await ctx.http({ path: '/', maxBytes: smallMaxBytes });
    const rootBody = parseJson(root.text);
    const info = root.status === 200 ? rootInfo(root, rootBody) : undefined;
    const denial = info ? undefined : securityDenial(root, rootBody);

    if (!info && !denial) {
      const err = esError(rootBody);
      // 429 es_rejected_execution_exception (a full thread pool) and 503 (no master, a cluster block): Elasticsearch
      // said it cannot serve now (https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html).
      if (err?.type && (root.status === 429 || root.status === 503)) return busyResult('Elasticsearch', rootProof, excerpt(root));
      if (err?.type && isObject(rootBody) && typeof rootBody.status === 'number') {
        return {
          status: 'error',
          evidence: {
            product: 'Elasticsearch',
            proof: rootProof,
            reply: excerpt(root),
            notes: [`${err.type}: access could not be decided`],
          },
          facts: {},
          error: { code: 'EA_PROTOCOL', message: `unexpected Elasticsearch error ${root.status} ${err.type}` },
        };
      }
      const notes = root.redirect ? [`redirects to ${root.redirect.location.slice(0, 200)} (not followed)`] : [];
      return {
        status: 'not-detected',
        evidence: { proof: rootProof, reply: excerpt(root), ...(notes.length ? { notes } : {}) },
        facts: {},
      };
    }

    if (denial?.kind === 'auth') {
      const notes: string[] = [];
      if (/missing authentication token/i.test(denial.reason)) notes.push('≤ 6.8 wording (missing authentication token)');
      if (!denial.product) notes.push('credentials demanded by a front end that does not identify as Elasticsearch/OpenSearch');
      return {
        status: 'auth-required',
        evidence: {
          ...(denial.product ? { product: denial.product } : {}),
          proof: rootProof,
          reply: excerpt(root),
          ...(notes.length ? { notes } : {}),
        },
        facts: compact({ wwwAuthenticate: root.headers['www-authenticate']?.slice(0, 200) }),
      };
    }
    if (denial?.kind === 'denied') {
      return {
        status: 'denied',
        evidence: {
          product: denial.product!,
          proof: rootProof,
          reply: excerpt(root),
          notes: [`refused without a credential challenge: ${denial.reason}`],
        },
        facts: {},
      };
    }

    // Root readable (info), or logged in as the anonymous user (denial.kind === 'anonymous'): the listing decides.
    const product = info?.product ?? denial!.product!;
    const facts: Record<string, unknown> = { ...(info?.facts ?? {}) };
    const notes = [...(info?.notes ?? [])];
    if (denial) notes.push(`GET /: ${denial.reason}`);
    const catProof = `GET ${catIndicesPath}`;
    const cat = await ctx.http({ path: catIndicesPath });
    const parseStarted = Date.now();
    const parsed = cat.status === 200 ? await parseCatIndices(cat.text) : undefined;

    if (!parsed) {
      const catDenial = securityDenial(cat, parseJson(cat.text));
      if (denial || catDenial) {
        // Credentials were never sent, yet the cluster answered as someone: logged in, but not allowed to list.
        if (catDenial) notes.push(`_cat/indices: ${catDenial.reason}`);
        return limitedResult(product, denial ? rootProof : catProof, denial ? excerpt(root) : excerpt(cat), facts, notes, info?.version);
      }
      return {
        status: 'error',
        evidence: {
          product,
          ...(info ? { version: info.version } : {}),
          proof: catProof,
          reply: excerpt(cat),
          notes: [...notes, 'GET / looked like Elasticsearch but _cat/indices returned no listing'],
        },
        facts,
        error: { code: 'EA_PROTOCOL', message: `_cat/indices answered ${cat.status} without an index listing` },
      };
    }

    const listing = await indexListing(parsed, ctx.caps);
    // Parsing and ordering a large listing is this process's time (shared with other endpoints' slices), not the
    // server's: given back to the deadline (up to its cap), so the metadata reads after the proof still get theirs.
    extendDeadline(ctx.limits, Date.now() - parseStarted);
    notes.push(...listing.notes);
    Object.assign(facts, listing.facts);
    const meta = await readMetadata(ctx, listing);
    Object.assign(facts, meta.facts);
    const sample = ctx.sample.rows > 0 ? await sampleIndices(ctx, listing.data.items) : undefined;
    await readIndexAge(ctx, listing.data.items);
    const access = await readNodeHttpStats(ctx);
    const data = {
      ...listing.data,
      ...(sample ? { sample } : {}),
      ...(listing.data.truncated || meta.truncated ? { truncated: true } : {}),
    };
    const cluster = str(facts.clusterName) ?? '?';
    return {
      status: 'exposed',
      evidence: {
        product,
        ...(info ? { version: info.version } : {}),
        proof: catProof,
        reply: `200 ${parsed.rows.length}${parsed.complete ? '' : '+'} indices listed (${String(facts.indices)} user indices); cluster ${cluster}`,
        ...(cat.truncated || meta.byteCut ? { truncated: true } : {}),
        ...(notes.length ? { notes } : {}),
      },
      facts,
      data,
      ...(access ? { access } : {}),
    };
  },
});

/** Sets oldest (ageFrom `created`) on listed indices from their creation.date; a failure leaves ages unknown. */
async function readIndexAge(ctx: ProbeContext, items: DataItem[]): Promise<void> {
  if (!items.length || remaining(ctx.limits) < metadataReserveMs) return;
  try {
    const res = await ctx.http({ path: creationDatePath, maxBytes: mappingMaxBytes });
    const rows = res.status === 200 ? parseJson(res.text) : undefined;
    if (!Array.isArray(rows)) return;
    const byName = new Map(items.map((i) => [i.name, i]));
    for (const r of rows as Array<Record<string, unknown>>) {
      const item = typeof r?.index === 'string' ? byName.get(r.index) : undefined;
      const created = knownDate(typeof r?.['creation.date'] === 'string' ? r['creation.date'] : undefined);
      if (item && created) Object.assign(item, { oldest: created, ageFrom: 'created' });
    }
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
  }
}

/**
 * `_nodes/stats/http`: `nodes.<id>.http.total_opened` / `current_open`, summed. Elasticsearch keeps no per-client
 * log by default; these counters cover each node's uptime only.
 */
async function readNodeHttpStats(ctx: ProbeContext): Promise<AccessTraces | undefined> {
  if (remaining(ctx.limits) < metadataReserveMs) return undefined;
  try {
    const res = await ctx.http({ path: nodeHttpStatsPath, maxBytes: smallMaxBytes });
    const body =
      res.status === 200
        ? (parseJson(res.text) as { nodes?: Record<string, { http?: { total_opened?: unknown; current_open?: unknown } }> })
        : undefined;
    if (!body || typeof body.nodes !== 'object' || body.nodes === null)
      return { source: '_nodes/stats', unavailable: `_nodes/stats answered ${res.status}` };
    let opened = 0;
    let open = 0;
    for (const n of Object.values(body.nodes)) {
      if (typeof n?.http?.total_opened === 'number') opened += n.http.total_opened;
      if (typeof n?.http?.current_open === 'number') open += n.http.current_open;
    }
    return { source: '_nodes/stats', connectionsReceived: opened, connectedClients: open };
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return undefined;
  }
}
