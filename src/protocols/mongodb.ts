import { decodeBson, encodeBson, type BsonDoc, type EncodableDoc } from './bson.js';

/**
 * MongoDB wire protocol, OP_MSG only (opCode 2013, MongoDB ≥ 3.6; the legacy OP_QUERY is refused for commands by
 * MongoDB ≥ 5.1: https://www.mongodb.com/docs/manual/legacy-opcodes/). Spec:
 * https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/#op_msg — MsgHeader (Int32 messageLength,
 * requestID, responseTo, opCode), UInt32 flagBits, sections (kind 0: one BSON body; kind 1: a document sequence),
 * optional CRC-32C checksum when flagBits bit 0 is set. Bounded: a reply is at most 16 MiB.
 */
export const OP_MSG = 2013;
const maxMessage = 16 * 1024 * 1024;

export function encodeOpMsg(requestId: number, command: EncodableDoc): Buffer {
  const body = encodeBson(command);
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(0, 16);
  head[20] = 0; // section kind 0: body
  return Buffer.concat([head, body]);
}

/** Framer for one reply; refuses from the first 4 bytes a length no MongoDB reply has (e.g. `HTTP` read as Int32). */
export function frameOpMsg(buf: Buffer): number | undefined {
  if (buf.length < 4) return undefined;
  const len = buf.readInt32LE(0);
  if (len < 21 || len > maxMessage) throw new Error(`message length ${len} is not a MongoDB reply`);
  if (buf.length >= 16 && buf.readInt32LE(12) !== OP_MSG) throw new Error(`opCode ${buf.readInt32LE(12)} is not OP_MSG`);
  return buf.length >= len ? len : undefined;
}

export interface OpMsg {
  requestId: number;
  responseTo: number;
  flags: number;
  body: BsonDoc;
}

/** Decodes a framed OP_MSG: its kind-0 body (kind-1 sequences are skipped; a reply to our commands has none). */
export function parseOpMsg(buf: Buffer): OpMsg {
  if (buf.length < 21 || buf.readInt32LE(0) !== buf.length || buf.readInt32LE(12) !== OP_MSG) throw new Error('not a complete OP_MSG');
  const flags = buf.readUInt32LE(16);
  if (flags & ~0x10003) throw new Error(`unknown required OP_MSG flag bits 0x${flags.toString(16)}`);
  const end = flags & 1 ? buf.length - 4 : buf.length;
  let o = 20;
  let body: BsonDoc | undefined;
  for (let n = 0; o < end && n < 64; n++) {
    const kind = buf[o++];
    if (o + 4 > end) throw new Error('section runs past the message');
    const size = buf.readInt32LE(o);
    if (size < 5 || o + size > end) throw new Error(`section size ${size} out of range`);
    if (kind === 0) {
      if (body) throw new Error('two body sections');
      body = decodeBson(buf.subarray(o, o + size));
    } else if (kind !== 1) throw new Error(`unknown section kind ${kind}`);
    o += size;
  }
  if (o !== end) throw new Error('sections do not fill the message');
  if (!body) throw new Error('no body section');
  return { requestId: buf.readInt32LE(4), responseTo: buf.readInt32LE(8), flags, body };
}

/** The command document of an OP_MSG we wrote (for tests and the fuzz test's check of what was sent). */
export function decodeOpMsgCommand(buf: Buffer): BsonDoc | undefined {
  try {
    return parseOpMsg(buf).body;
  } catch {
    return undefined;
  }
}
