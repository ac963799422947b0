import { EaError, isEaError } from '../src/errors.js';
import type { TcpSession } from '../src/net/tcp.js';
import { always, busyResult, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import { bsonNumber, isDoc, type BsonDoc, type BsonValue, type EncodableDoc } from '../src/protocols/bson.js';
import { encodeOpMsg, frameOpMsg, parseOpMsg } from '../src/protocols/mongodb.js';
import { scanSecrets } from '../src/risk/scan.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { DataItem, DataSample } from '../src/types.js';

/**
 * MongoDB over OP_MSG (never the legacy OP_QUERY, which MongoDB ≥ 5.1 refuses for commands: a peer tool's false
 * negative on every current server).
 * `hello` and `buildInfo` answer WITHOUT authentication by design (drivers need them to connect): they identify
 * the product and its version and prove nothing about access. The proof is `listDatabases`: `ok: 1` with the
 * database list = exposed; `ok: 0, code: 13 (Unauthorized)` "command listDatabases requires authentication" =
 * auth-required. Sources: https://www.mongodb.com/docs/manual/reference/command/hello/,
 * https://www.mongodb.com/docs/manual/reference/command/listDatabases/, …/listCollections/, …/count/.
 * Read-only: listDatabases, listCollections (nameOnly), `count` without a query (answered from collection
 * metadata, no scan), and with --sample N only, `find` with a limit on sensitive-looking collections.
 */
const maxDatabases = 20;
const maxCounts = 100;
const internalDbs = new Set(['local', 'config']);

const commands = {
  hello: { hello: 1, $db: 'admin' },
  // Servers before 4.4.2 answer `hello` with CommandNotFound (59); they know the older isMaster.
  isMaster: { isMaster: 1, $db: 'admin' },
  buildInfo: { buildInfo: 1, $db: 'admin' },
  listDatabases: { listDatabases: 1, nameOnly: false, $db: 'admin' },
} satisfies Record<string, EncodableDoc>;

export function describeCommand(cmd: EncodableDoc | BsonDoc): string {
  return `OP_MSG ${JSON.stringify(cmd, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`;
}

class Conn {
  #id = 0;
  constructor(readonly session: TcpSession) {}
  async run(cmd: EncodableDoc): Promise<BsonDoc> {
    const id = ++this.#id;
    await this.session.write(encodeOpMsg(id, cmd));
    const buf = await this.session.read(frameOpMsg);
    try {
      const msg = parseOpMsg(buf);
      if (msg.responseTo !== id) throw new Error(`reply to request ${msg.responseTo}, expected ${id}`);
      return msg.body;
    } catch (err) {
      throw new EaError('EA_PROTOCOL', `unparseable OP_MSG reply: ${(err as Error).message}`, { partial: buf.subarray(0, 256) });
    }
  }
}

const ok = (d: BsonDoc) => bsonNumber(d.ok ?? null) === 1 || d.ok === true;
const str = (v: BsonValue, max = 200) => (typeof v === 'string' ? v.slice(0, max) : undefined);
/**
 * Transient refusals: 91 ShutdownInProgress, 189 PrimarySteppedDown, 11600 InterruptedAtShutdown, 11602
 * InterruptedDueToReplStateChange, 13436 NotPrimaryOrSecondary (a recovering member), 262 ExceededTimeLimit.
 */
const busyCodes = new Set([91, 189, 11600, 11602, 13436, 262]);

function errText(d: BsonDoc): string {
  return `ok:0 code:${bsonNumber(d.code ?? null) ?? '?'} ${str(d.codeName ?? null, 60) ?? ''}: ${str(d.errmsg ?? null, 200) ?? ''}`;
}

/** Leaf string values of a document (for secret scanning only), bounded. */
function leaves(v: BsonValue, out: string[], depth = 0): void {
  if (out.length > 10_000 || depth > 8) return;
  if (typeof v === 'string') out.push(v.slice(0, 4096));
  else if (Array.isArray(v)) for (const x of v) leaves(x, out, depth + 1);
  else if (isDoc(v)) for (const x of Object.values(v)) leaves(x, out, depth + 1);
}

async function collections(conn: Conn, db: string, ctx: ProbeContext, counts: { left: number }) {
  const items: DataItem[] = [];
  let truncated = false;
  const r = await conn.run({ listCollections: 1, nameOnly: true, authorizedCollections: true, $db: db });
  if (!ok(r)) return { items, truncated: true, note: `${db}: listCollections ${errText(r)}` };
  const cursor = isDoc(r.cursor ?? null) ? (r.cursor as BsonDoc) : undefined;
  const batch = Array.isArray(cursor?.firstBatch) ? cursor.firstBatch : [];
  if (bsonNumber(cursor?.id ?? 0) !== 0) truncated = true;
  for (const c of batch) {
    if (!isDoc(c)) continue;
    const name = str(c.name ?? null);
    if (!name) continue;
    if (c.type !== undefined && c.type !== 'collection' && c.type !== 'timeseries') continue;
    const item: DataItem = { kind: 'collection', name: `${db}.${name}` };
    if (!name.startsWith('system.') && counts.left > 0) {
      counts.left--;
      // `count` with no query reads the collection's metadata count: no scan.
      const n = await conn.run({ count: name, $db: db });
      if (ok(n) && bsonNumber(n.n ?? null) !== undefined) item.rows = bsonNumber(n.n ?? null)!;
    } else if (!name.startsWith('system.')) truncated = true;
    items.push(item);
  }
  return { items, truncated };
}

export default defineProbe({
  meta: {
    id: 'mongodb',
    service: 'mongodb',
    title: 'MongoDB without authentication',
    description:
      'OP_MSG hello and buildInfo (public by design: identification only), then listDatabases: ok:1 = exposed (databases, sizes, collections, document counts); code 13 Unauthorized = auth-required.',
    defaultPorts: [27017],
    transport: 'tcp',
    tls: 'optional',
    // OP_MSG frames, declared decoded (describeCommand): their request ids and names vary.
    sends: [
      ...always(
        describeCommand(commands.hello),
        describeCommand(commands.isMaster),
        describeCommand(commands.buildInfo),
        describeCommand(commands.listDatabases),
        // For up to maxDatabases databases (not local, config), then `count` for up to maxCounts collections.
        describeCommand({ listCollections: 1, nameOnly: true, authorizedCollections: true, $db: '<db>' }),
        describeCommand({ count: '<collection>', $db: '<db>' }),
      ),
      // Up to 10 sensitive-looking collections.
      {
        request: describeCommand({ find: '<collection>', limit: '<N>', batchSize: '<N>', singleBatch: true, $db: '<db>' }).replace(
          /"<N>"/g,
          '<N>',
        ),
        when: '--sample',
      },
    ],
    exposure: 'anyone who can reach the port can read, change and drop every database (the target of the MongoDB ransom waves)',
    remediation:
      'Enable authorization (security.authorization: enabled) with SCRAM users, bind to private interfaces (net.bindIp), and firewall 27017.',
    references: [
      'https://www.mongodb.com/docs/manual/administration/security-checklist/',
      'https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const conn = new Conn(await ctx.tcp({ proof: 'hello' }));
    let hello = await conn.run(commands.hello);
    if (!ok(hello) && bsonNumber(hello.code ?? null) === 59) hello = await conn.run(commands.isMaster);
    // hello is answered without credentials on every server: it identifies MongoDB, it proves no access.
    const maxWire = bsonNumber(hello.maxWireVersion ?? null);
    // A member shutting down, stepping down or recovering refuses commands with these codes (mongo
    // src/mongo/base/error_codes.yml): MongoDB, not tested now.
    if (!ok(hello) && busyCodes.has(bsonNumber(hello.code ?? null) ?? 0))
      return busyResult('MongoDB', 'hello', errText(hello), { errorCode: bsonNumber(hello.code ?? null) });
    if (!ok(hello) || maxWire === undefined)
      return {
        status: 'not-detected',
        evidence: { proof: 'hello', reply: ok(hello) ? 'ok:1 without maxWireVersion' : errText(hello) },
        facts: {},
      };
    const facts: Record<string, unknown> = {
      maxWireVersion: maxWire,
      isWritablePrimary: hello.isWritablePrimary === true,
      ...(str(hello.setName ?? null) ? { replicaSet: str(hello.setName ?? null) } : {}),
      ...(str(hello.msg ?? null) === 'isdbgrid' ? { mongos: true } : {}),
    };
    const build = await conn.run(commands.buildInfo);
    const version = ok(build) ? str(build.version ?? null, 40) : undefined;
    if (version) facts.version = version;
    const product = 'MongoDB';

    const list = await conn.run(commands.listDatabases);
    if (!ok(list)) {
      const code = bsonNumber(list.code ?? null);
      const reply = errText(list);
      if (code === 13 || code === 18)
        return {
          status: 'auth-required',
          evidence: { product, ...(version ? { version } : {}), proof: 'listDatabases', reply },
          facts: { ...facts, errorCode: code },
        };
      if (busyCodes.has(code ?? 0)) return busyResult(product, 'listDatabases', reply, { ...facts, errorCode: code });
      return {
        status: 'error',
        evidence: { product, ...(version ? { version } : {}), proof: 'listDatabases', reply },
        facts: { ...facts, errorCode: code },
        error: { code: 'EA_PROTOCOL', message: `listDatabases failed: ${reply}` },
      };
    }
    const dbs: DataItem[] = [];
    let truncated = false;
    for (const d of Array.isArray(list.databases) ? list.databases : []) {
      if (!isDoc(d) || !str(d.name ?? null)) continue;
      const bytes = bsonNumber(d.sizeOnDisk ?? null);
      dbs.push({ kind: 'database', name: str(d.name ?? null)!, ...(bytes !== undefined ? { bytes } : {}) });
    }
    const notes: string[] = [];
    const colls: DataItem[] = [];
    const counts = { left: Math.min(maxCounts, ctx.caps.items) };
    const listable = dbs.filter((d) => !internalDbs.has(d.name));
    if (listable.length > maxDatabases) truncated = true;
    // Access is proven: a listing cut short (deadline, byte budget, nonsense) is noted and marked truncated.
    let stopped = false;
    const cutShort = (where: string, err: unknown) => {
      if (isEaError(err, 'EA_ABORTED') || !isEaError(err)) throw err;
      truncated = stopped = true;
      notes.push(`${where}: listing cut short (${err.code}: ${err.message.slice(0, 160)})`);
    };
    for (const d of listable.slice(0, maxDatabases)) {
      try {
        const c = await collections(conn, d.name, ctx, counts);
        colls.push(...c.items);
        if (c.truncated) truncated = true;
        if (c.note) notes.push(c.note);
      } catch (err) {
        cutShort(d.name, err);
        break;
      }
    }

    let sample: DataSample | undefined;
    if (ctx.sample.rows > 0 && !stopped) {
      const pick = colls
        .filter((c) => !c.name.includes('.system.') && looksSensitive(c.name))
        .sort((a, b) => (b.rows ?? 0) - (a.rows ?? 0))
        .slice(0, ctx.sample.sources);
      const values: string[] = [];
      let rows = 0;
      let cut = false;
      for (const c of pick) {
        const db = listable.find((d) => c.name.startsWith(`${d.name}.`))!.name;
        const coll = c.name.slice(db.length + 1);
        let r: BsonDoc;
        try {
          r = await conn.run({ find: coll, limit: ctx.sample.rows, batchSize: ctx.sample.rows, singleBatch: true, $db: db });
        } catch (err) {
          cutShort(c.name, err);
          cut = true;
          break;
        }
        const batch =
          ok(r) && isDoc(r.cursor ?? null) && Array.isArray((r.cursor as BsonDoc).firstBatch)
            ? ((r.cursor as BsonDoc).firstBatch as BsonValue[])
            : undefined;
        if (!batch) {
          cut = true;
          continue;
        }
        for (const doc of batch.slice(0, ctx.sample.rows)) {
          rows++;
          leaves(doc, values);
        }
      }
      sample = { rows, sources: pick.map((c) => c.name), secrets: scanSecrets(values), ...(cut ? { truncated: true } : {}) };
    }

    const all = [...dbs, ...colls];
    if (all.length > ctx.caps.items) truncated = true;
    const totalSize = bsonNumber(list.totalSize ?? null);
    return {
      status: 'exposed',
      evidence: {
        product,
        ...(version ? { version } : {}),
        proof: 'listDatabases',
        reply: `ok:1 databases:${dbs.length} totalSize:${totalSize ?? '?'}`,
        notes: ['hello/buildInfo answer without credentials by design; listDatabases proved access', ...notes],
      },
      facts,
      data: {
        items: all.slice(0, ctx.caps.items),
        totals: {
          databases: dbs.length,
          tables: colls.length,
          rows: colls.reduce((n, c) => n + (c.rows ?? 0), 0),
          ...(totalSize !== undefined ? { bytes: totalSize } : {}),
        },
        ...(sample ? { sample } : {}),
        ...(truncated ? { truncated } : {}),
      },
    };
  },
});
