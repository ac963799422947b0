import { decodeOpMsgCommand } from '../src/protocols/mongodb.js';
import type { ProbeReplies } from '../src/probe-replies.js';
import { describeCommand } from './mongodb.js';

/**
 * MongoDB OP_MSG replies (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/, BSON per
 * https://bsonspec.org/spec.html), each answering the request's id (responseTo). Error codes from mongo
 * src/mongo/base/error_codes.yml: 13 Unauthorized, 91 ShutdownInProgress.
 */
type Value = number | string | boolean | Value[] | { [k: string]: Value };
function bson(doc: { [k: string]: Value } | Value[]): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(doc)) {
    const key = Buffer.from(`${k}\0`);
    if (typeof v === 'number' && Number.isInteger(v)) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      parts.push(Buffer.from([0x10]), key, b);
    } else if (typeof v === 'number') {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v);
      parts.push(Buffer.from([0x01]), key, b);
    } else if (typeof v === 'string') {
      const s = Buffer.from(`${v}\0`);
      const l = Buffer.alloc(4);
      l.writeInt32LE(s.length);
      parts.push(Buffer.from([0x02]), key, l, s);
    } else if (typeof v === 'boolean') parts.push(Buffer.from([0x08]), key, Buffer.from([v ? 1 : 0]));
    else parts.push(Buffer.from([Array.isArray(v) ? 0x04 : 0x03]), key, bson(v));
  }
  const body = Buffer.concat(parts);
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 5);
  return Buffer.concat([len, body, Buffer.from([0])]);
}
/** An OP_MSG reply (kind-0 section) to `request`. */
const reply = (doc: { [k: string]: Value }) => (request: Buffer) => {
  const body = bson(doc);
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(7, 4);
  head.writeInt32LE(request.readInt32LE(4), 8);
  head.writeInt32LE(2013, 12);
  return Buffer.concat([head, body]);
};
const hello = reply({ isWritablePrimary: true, maxBsonObjectSize: 16777216, maxWireVersion: 25, minWireVersion: 0, ok: 1 });
const cmd = (name: string) => new RegExp(`^OP_MSG \\{"${name}":`);

export default {
  probe: 'mongodb',
  frameRequest: (buf) => (buf.length >= 4 && buf.length >= buf.readInt32LE(0) ? buf.readInt32LE(0) : undefined),
  describe: (b) => {
    const c = decodeOpMsgCommand(b);
    return c ? describeCommand(c) : undefined;
  },
  // A header announcing a 16 MB OP_MSG (messageLength 0x01000000 LE, requestID 99, responseTo 1, opCode 2013).
  endless: {
    prefix: Buffer.from('00000001630000000100000' + '0dd070000', 'hex'),
    source: 'wire protocol MsgHeader; 16 MB is maxMessageSizeBytes (48 MB) territory, far past the byte cap',
  },
  cases: {
    'no-authorization': {
      state: 'exposed',
      source: 'MongoDB 8.0 without security.authorization: hello, buildInfo and listDatabases answered (shapes per the command docs)',
      exchanges: [
        { request: cmd('hello'), reply: hello },
        { request: cmd('buildInfo'), reply: reply({ version: '8.0.4', gitVersion: 'bc35ab4305d9920d9d9f1e4a5a6dd3d2e4a0fe9c', ok: 1 }) },
        {
          request: cmd('listDatabases'),
          reply: reply({ databases: [{ name: 'shop', sizeOnDisk: 73728, empty: false }], totalSize: 73728, ok: 1 }),
        },
        {
          request: cmd('listCollections'),
          reply: reply({
            cursor: { id: 0, ns: 'shop.$cmd.listCollections', firstBatch: [{ name: 'customers', type: 'collection' }] },
            ok: 1,
          }),
        },
        { request: cmd('count'), reply: reply({ n: 1200, ok: 1 }) },
      ],
      expect: { status: 'exposed', product: 'MongoDB' },
    },
    authorization: {
      state: 'secured',
      source: 'listDatabases refused with 13 Unauthorized ("Command listDatabases requires authentication"), MongoDB 8.0',
      exchanges: [
        { request: cmd('hello'), reply: hello },
        { request: cmd('buildInfo'), reply: reply({ version: '8.0.4', ok: 1 }) },
        {
          request: cmd('listDatabases'),
          reply: reply({ ok: 0, errmsg: 'Command listDatabases requires authentication', code: 13, codeName: 'Unauthorized' }),
        },
      ],
      expect: { status: 'auth-required', product: 'MongoDB' },
    },
    'shutting-down': {
      state: 'busy',
      source: '91 ShutdownInProgress, as a member shutting down refuses new commands (error_codes.yml)',
      exchanges: [
        {
          request: cmd('hello'),
          reply: reply({ ok: 0, errmsg: 'The server is in quiesce mode and will shut down', code: 91, codeName: 'ShutdownInProgress' }),
        },
      ],
      expect: { status: 'error', code: 'EA_BUSY', product: 'MongoDB' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers binary (RFC 9112)',
      exchanges: [{ request: cmd('hello'), reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
