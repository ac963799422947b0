import net from 'node:net';
import { decodeBson, type BsonDoc } from '../../src/protocols/bson.js';
import { OP_MSG } from '../../src/protocols/mongodb.js';

/**
 * A protocol-faithful MongoDB peer for tests (Debian 12 packages no MongoDB server): it frames real OP_MSG requests,
 * decodes their BSON, and answers the commands the probe may send with replies shaped like MongoDB 7.0 / 8.0's
 * (field names, BSON types — int32 vs int64 — and error codes as documented). It refuses the legacy OP_QUERY
 * (opCode 2004) for commands as MongoDB ≥ 5.1 does, by closing the connection, and records every command.
 */
/** `stall-8.0`: an open 8.0 that stops answering after listDatabases (a server wedged mid-listing). */
export type MongoVariant = 'open-4.4.0' | 'open-7.0' | 'open-8.0' | 'auth-8.0' | 'stall-8.0';

export type W = number | string | boolean | null | Date | { $long: bigint } | W[] | { [k: string]: W };

/** BSON writer for the reply shapes (int32, double, int64, string, bool, null, UTC datetime, arrays, documents). */
export function bson(doc: { [k: string]: W }): Buffer {
  const parts: Buffer[] = [];
  const el = (type: number, k: string, data: Buffer) => parts.push(Buffer.from([type]), Buffer.from(`${k}\0`), data);
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === 'number') {
      const b = Buffer.alloc(Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 4 : 8);
      if (b.length === 4) b.writeInt32LE(v);
      else b.writeDoubleLE(v);
      el(b.length === 4 ? 0x10 : 0x01, k, b);
    } else if (typeof v === 'string') {
      const s = Buffer.from(`${v}\0`);
      const len = Buffer.alloc(4);
      len.writeInt32LE(s.length);
      el(0x02, k, Buffer.concat([len, s]));
    } else if (typeof v === 'boolean') el(0x08, k, Buffer.from([v ? 1 : 0]));
    else if (v === null) el(0x0a, k, Buffer.alloc(0));
    else if (v instanceof Date) {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v.getTime()));
      el(0x09, k, b);
    } else if (Array.isArray(v)) el(0x04, k, bson(Object.fromEntries(v.map((x, i) => [String(i), x]))));
    else if ('$long' in v && typeof v.$long === 'bigint') {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(v.$long);
      el(0x12, k, b);
    } else el(0x03, k, bson(v as { [k: string]: W }));
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(4);
  head.writeInt32LE(body.length + 5);
  return Buffer.concat([head, body, Buffer.from([0])]);
}

export function opMsg(responseTo: number, body: { [k: string]: W }): Buffer {
  const doc = bson(body);
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + doc.length, 0);
  head.writeInt32LE(1000 + responseTo, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(OP_MSG, 12);
  return Buffer.concat([head, doc]);
}

export const long = (n: number) => ({ $long: BigInt(n) });

/** The data the open variants hold: database → collection → documents. */
export const mongoData: Record<string, Record<string, Array<{ [k: string]: W }>>> = {
  shop: {
    customers: [
      { name: 'Ann', email: 'ann@example.com', api_key: 'sk_live_0000000000000000aaaa' },
      { name: 'Bob', email: 'bob@example.com', api_key: 'none' },
      { name: 'Cy', email: 'cy@example.com', api_key: 'none' },
    ],
    orders: Array.from({ length: 50 }, (_, i) => ({ n: i, total: i * 1.5 })),
  },
  admin: { 'system.version': [{ _id: 'featureCompatibilityVersion', version: '8.0' }] },
};

function reply(variant: MongoVariant, cmd: BsonDoc): { [k: string]: W } {
  const v8 = variant !== 'open-7.0' && variant !== 'open-4.4.0';
  const name = Object.keys(cmd)[0] ?? '';
  const db = typeof cmd.$db === 'string' ? cmd.$db : '';
  if (variant === 'open-4.4.0') {
    // `hello` arrived in 4.4.2 (and 5.0): https://www.mongodb.com/docs/v4.4/reference/command/hello/ — earlier
    // servers answer CommandNotFound and speak isMaster (https://www.mongodb.com/docs/v4.4/reference/command/isMaster/,
    // maxWireVersion 9 = 4.4).
    if (name === 'hello') return { ok: 0, errmsg: "no such command: 'hello'", code: 59, codeName: 'CommandNotFound' };
    if (name === 'isMaster')
      return {
        ismaster: true,
        maxBsonObjectSize: 16777216,
        maxMessageSizeBytes: 48000000,
        maxWriteBatchSize: 100000,
        localTime: new Date('2026-12-01T12:00:00Z'),
        logicalSessionTimeoutMinutes: 30,
        connectionId: 3,
        minWireVersion: 0,
        maxWireVersion: 9,
        readOnly: false,
        ok: 1,
      };
    if (name === 'buildInfo') return { version: '4.4.0', versionArray: [4, 4, 0, 0], bits: 64, ok: 1 };
  }
  // hello — https://www.mongodb.com/docs/v8.0/reference/command/hello/ (standalone output; maxWireVersion 21 = 7.0,
  // 25 = 8.0 per https://github.com/mongodb/specifications/blob/master/source/wireversion-featurelist/wireversion-featurelist.md).
  // Answered without authentication on every server, auth-enabled included.
  if (name === 'hello' || name === 'isMaster')
    return {
      isWritablePrimary: true,
      topologyVersion: { processId: 'ffffffffffffffffffffffff', counter: long(0) },
      maxBsonObjectSize: 16777216,
      maxMessageSizeBytes: 48000000,
      maxWriteBatchSize: 100000,
      localTime: new Date('2026-12-01T12:00:00Z'),
      logicalSessionTimeoutMinutes: 30,
      connectionId: 7,
      minWireVersion: 0,
      maxWireVersion: v8 ? 25 : 21,
      readOnly: false,
      ok: 1,
    };
  // buildInfo — https://www.mongodb.com/docs/v8.0/reference/command/buildInfo/ (allowed without authentication).
  if (name === 'buildInfo')
    return {
      version: v8 ? '8.0.4' : '7.0.14',
      gitVersion: 'bc35ab4305d9920d9d7a0c5d4c3d8c1ddcd8f6ae',
      modules: [],
      allocator: 'tcmalloc-google',
      javascriptEngine: 'mozjs',
      sysInfo: 'deprecated',
      versionArray: v8 ? [8, 0, 4, 0] : [7, 0, 14, 0],
      bits: 64,
      debug: false,
      maxBsonObjectSize: 16777216,
      ok: 1,
    };
  if (variant === 'auth-8.0')
    // https://www.mongodb.com/docs/manual/reference/error-codes/ (13 Unauthorized); message as the server words it
    // for an unauthenticated client (quoted in https://github.com/mongo-express/mongo-express/issues/720).
    return { ok: 0, errmsg: `command ${name} requires authentication`, code: 13, codeName: 'Unauthorized' };
  // listDatabases — https://www.mongodb.com/docs/v8.0/reference/command/listDatabases/ (sizeOnDisk and totalSize int64).
  if (name === 'listDatabases')
    return {
      databases: [
        { name: 'admin', sizeOnDisk: long(40960), empty: false },
        { name: 'config', sizeOnDisk: long(110592), empty: false },
        { name: 'local', sizeOnDisk: long(73728), empty: false },
        { name: 'shop', sizeOnDisk: long(180224), empty: false },
      ],
      totalSize: long(405504),
      totalSizeMb: long(0),
      ok: 1,
    };
  // listCollections (nameOnly) — https://www.mongodb.com/docs/v8.0/reference/command/listCollections/ (cursor id int64 0).
  if (name === 'listCollections')
    return {
      cursor: {
        id: long(0),
        ns: `${db}.$cmd.listCollections`,
        firstBatch: Object.keys(mongoData[db] ?? {}).map((c) => ({ name: c, type: 'collection' })),
      },
      ok: 1,
    };
  // count — https://www.mongodb.com/docs/v8.0/reference/command/count/ ({n: int32, ok: 1}).
  if (name === 'count') return { n: (mongoData[db]?.[String(cmd.count)] ?? []).length, ok: 1 };
  // find — https://www.mongodb.com/docs/v8.0/reference/command/find/ (cursor.firstBatch).
  if (name === 'find') {
    const limit = typeof cmd.limit === 'number' ? cmd.limit : 101;
    return {
      cursor: { firstBatch: (mongoData[db]?.[String(cmd.find)] ?? []).slice(0, limit), id: long(0), ns: `${db}.${String(cmd.find)}` },
      ok: 1,
    };
  }
  // https://www.mongodb.com/docs/manual/reference/error-codes/ (59 CommandNotFound).
  return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
}

export interface MongoReplay {
  host: string;
  port: number;
  /** Every command received, decoded. */
  commands: BsonDoc[];
  /** Opcodes other than OP_MSG that were received (and refused). */
  refused: number[];
  close(): Promise<void>;
}

export async function startMongoReplay(host: string, variant: MongoVariant, port = 0): Promise<MongoReplay> {
  const commands: BsonDoc[] = [];
  const refused: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (let guard = 0; guard < 100 && buf.length >= 16; guard++) {
        const len = buf.readInt32LE(0);
        if (len < 16 || len > 48_000_000) return void sock.destroy();
        if (buf.length < len) return;
        const msg = buf.subarray(0, len);
        buf = buf.subarray(len);
        const opCode = msg.readInt32LE(12);
        if (opCode !== OP_MSG || msg[20] !== 0) {
          refused.push(opCode);
          return void sock.destroy();
        }
        const cmd = decodeBson(msg.subarray(21));
        commands.push(cmd);
        if (variant === 'stall-8.0' && commands.some((c) => 'listDatabases' in c) && !('listDatabases' in cmd)) continue;
        sock.write(opMsg(msg.readInt32LE(4), reply(variant, cmd)));
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    commands,
    refused,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
