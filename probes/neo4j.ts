import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { always, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import type { DataItem } from '../src/types.js';

/**
 * Neo4j HTTP API (7474). The discovery document at `GET /` is public on every Neo4j, secured or not (it only
 * carries URLs and the version): never exposure proof; it is fetched only to name the version of a secured server.
 * Proof is a Cypher transaction, `RETURN 1`, through the transactional endpoint (POST is the API's only verb for
 * queries). Read-only comes from the statements themselves: fixed Cypher with no write clause. The `access-mode: READ`
 * header (Neo4j ≥ 4.4.4) also labels each transaction as a read so a cluster routes it to a reader; a single instance
 * ignores it (https://neo4j.com/docs/http-api/4.4/actions/transaction-configuration).
 * 200 `{"results":[…],"errors":[]}` = exposed (dbms.security.auth_enabled=false); 401
 * `Neo.ClientError.Security.Unauthorized` = auth-required (https://neo4j.com/docs/http-api/current/authentication-authorization/).
 * 3.x has no /db/<name>/tx: its endpoint is /db/data/transaction/commit, tried only after a 404.
 */
const headers = { 'content-type': 'application/json', accept: 'application/json;charset=UTF-8', 'access-mode': 'READ' };
const proofBody = JSON.stringify({ statements: [{ statement: 'RETURN 1' }] });
const metaBody = JSON.stringify({
  statements: [
    { statement: 'CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition' },
    { statement: 'CALL db.labels() YIELD label RETURN label LIMIT 1000' },
    { statement: 'CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey LIMIT 1000' },
    // Both counts come from the count store: no scan.
    { statement: 'MATCH (n) RETURN count(n)' },
    { statement: 'MATCH ()-[r]->() RETURN count(r)' },
  ],
});
const databasesBody = JSON.stringify({
  statements: [{ statement: 'SHOW DATABASES YIELD name, currentStatus RETURN name, currentStatus LIMIT 1000' }],
});
const paths = { tx: '/db/neo4j/tx/commit', tx3: '/db/data/transaction/commit', system: '/db/system/tx/commit', discovery: '/' };

interface TxResult {
  results?: Array<{ columns?: unknown[]; data?: Array<{ row?: unknown[] }> }>;
  errors?: Array<{ code?: unknown; message?: unknown }>;
}

function tx(res: HttpResponse): TxResult | undefined {
  try {
    const body = JSON.parse(res.text) as TxResult;
    return body && typeof body === 'object' && (Array.isArray(body.results) || Array.isArray(body.errors)) ? body : undefined;
  } catch {
    return undefined;
  }
}

const rows = (r: TxResult | undefined, i: number): unknown[][] =>
  (Array.isArray(r?.results?.[i]?.data) ? r!.results![i]!.data! : []).map((d) => (Array.isArray(d?.row) ? d.row : []));
const str = (v: unknown, max = 256) => (typeof v === 'string' ? v.slice(0, max) : undefined);
const firstCode = (r: TxResult | undefined) => str(r?.errors?.[0]?.code, 120);

export default defineProbe({
  meta: {
    id: 'neo4j',
    service: 'neo4j',
    title: 'Neo4j without authentication',
    description:
      'A read-only `RETURN 1` Cypher transaction over the HTTP API (labelled access-mode: READ): 200 proves access, 401 asks for credentials; then, in one more READ transaction, CALL dbms.components(), CALL db.labels(), CALL db.propertyKeys(), MATCH (n) RETURN count(n), MATCH ()-[r]->() RETURN count(r), and SHOW DATABASES on the system database.',
    defaultPorts: [7474],
    transport: 'http',
    tls: 'optional',
    // Bodies (fixed): RETURN 1; then dbms.components(), db.labels(), db.propertyKeys(), count(n), count(r) on the
    // same endpoint; SHOW DATABASES on the system database. GET / only for the version of a secured server.
    sends: always(`POST ${paths.tx}`, `POST ${paths.tx3}`, `GET ${paths.discovery}`, `POST ${paths.system}`),
    exposure: 'anyone who can reach the port can run any Cypher: read and change the whole graph',
    remediation:
      'Keep dbms.security.auth_enabled=true (the default) with a changed neo4j password, bind the HTTP/Bolt connectors to private interfaces and firewall 7474/7473/7687.',
    references: [
      'https://neo4j.com/docs/http-api/current/',
      'https://neo4j.com/docs/operations-manual/current/authentication-authorization/',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    let path = paths.tx;
    let res = await ctx.http({ method: 'POST', path, headers, body: proofBody, maxBytes: 64 * 1024 });
    let body = tx(res);
    if (res.status === 404 && !body) {
      // Neo4j 3.x (no multi-database URLs).
      const legacy = await ctx.http({ method: 'POST', path: paths.tx3, headers, body: proofBody, maxBytes: 64 * 1024 });
      const legacyBody = tx(legacy);
      if (legacyBody) [path, res, body] = [paths.tx3, legacy, legacyBody];
    }
    const proof = `POST ${path} RETURN 1`;
    const reply = `${res.status} ${res.text.slice(0, 200).trim()}`;
    if (!body) return { status: 'not-detected', evidence: { proof, reply }, facts: {} };
    const code = firstCode(body);
    if (res.status === 401 || /^Neo\.ClientError\.Security\.(Unauthorized|AuthorizationFailed)/.test(code ?? '')) {
      if (!code?.startsWith('Neo.')) return { status: 'not-detected', evidence: { proof, reply }, facts: {} };
      const version = await discoveryVersion(ctx);
      return {
        status: 'auth-required',
        evidence: { product: 'Neo4j', ...(version ? { version } : {}), proof, reply },
        facts: { errorCode: code },
      };
    }
    const one = rows(body, 0)[0]?.[0];
    if (res.status === 200 && one === 1 && (body.errors ?? []).length === 0) return exposed(ctx, path, proof, reply);
    if (code?.startsWith('Neo.'))
      return {
        status: 'error',
        evidence: { product: 'Neo4j', proof, reply },
        facts: { errorCode: code },
        error: { code: 'EA_PROTOCOL', message: `Neo4j answered ${code}` },
      };
    return { status: 'not-detected', evidence: { proof, reply }, facts: {} };
  },
});

async function discoveryVersion(ctx: ProbeContext): Promise<string | undefined> {
  try {
    const res = await ctx.http({ path: paths.discovery, headers: { accept: 'application/json' }, maxBytes: 16 * 1024 });
    return str((JSON.parse(res.text) as { neo4j_version?: unknown }).neo4j_version, 64);
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return undefined;
  }
}

async function exposed(ctx: ProbeContext, path: string, proof: string, reply: string): Promise<ProbeResult> {
  let truncated = false;
  const post = async (p: string, body: string) => {
    try {
      const res = await ctx.http({ method: 'POST', path: p, headers, body, maxBytes: 512 * 1024 });
      if (res.truncated) truncated = true;
      return res.status === 200 ? tx(res) : undefined;
    } catch (err) {
      if (isEaError(err, 'EA_ABORTED')) throw err;
      truncated = true;
      return undefined;
    }
  };
  const meta = await post(path, metaBody);
  const comp = rows(meta, 0).find((r) => r[0] === 'Neo4j Kernel') ?? rows(meta, 0)[0];
  const version = Array.isArray(comp?.[1]) ? str(comp![1][0], 64) : undefined;
  const edition = str(comp?.[2], 32);
  const labels = rows(meta, 1)
    .map((r) => str(r[0]))
    .filter((n): n is string => !!n);
  const propertyKeys = rows(meta, 2)
    .map((r) => str(r[0], 128))
    .filter((n): n is string => !!n);
  const nodes = typeof rows(meta, 3)[0]?.[0] === 'number' ? (rows(meta, 3)[0]![0] as number) : undefined;
  const relationships = typeof rows(meta, 4)[0]?.[0] === 'number' ? (rows(meta, 4)[0]![0] as number) : undefined;
  if (labels.length >= 1000 || propertyKeys.length >= 1000) truncated = true;

  const items: DataItem[] = [];
  // SHOW DATABASES runs against the system database (4.x+); 3.x has one graph and no system database.
  const dbs = path === paths.tx ? rows(await post(paths.system, databasesBody), 0) : [];
  for (const [name] of dbs) {
    const n = str(name);
    if (n && n !== 'system') items.push({ kind: 'database', name: n });
  }
  const graph: DataItem = {
    kind: 'database',
    name: path === paths.tx ? 'neo4j' : 'graph.db',
    ...(nodes !== undefined ? { rows: nodes } : {}),
  };
  if (propertyKeys.length) graph.fields = propertyKeys.slice(0, ctx.caps.fields);
  if (propertyKeys.length > ctx.caps.fields) truncated = true;
  const existing = items.findIndex((i) => i.name === graph.name);
  if (existing >= 0) items[existing] = graph;
  else items.unshift(graph);
  for (const l of labels) items.push({ kind: 'label', name: l });
  if (items.length > ctx.caps.items) truncated = true;
  return {
    status: 'exposed',
    evidence: {
      product: 'Neo4j',
      ...(version ? { version } : {}),
      proof,
      reply,
      notes: ['the discovery document at / is public on every Neo4j: only the RETURN 1 transaction proves access'],
      ...(truncated ? { truncated: true } : {}),
    },
    facts: {
      ...(edition ? { edition } : {}),
      ...(nodes !== undefined ? { nodes } : {}),
      ...(relationships !== undefined ? { relationships } : {}),
      labels: labels.length,
    },
    data: {
      items: items.slice(0, ctx.caps.items),
      totals: { databases: items.filter((i) => i.kind === 'database').length, ...(nodes !== undefined ? { rows: nodes } : {}) },
      ...(truncated ? { truncated } : {}),
    },
  };
}
