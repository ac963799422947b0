import type { ErrorCode } from './errors.js';
import { describeWrite, type Send } from './probe.js';
import type { Status } from './types.js';

/**
 * Recorded byte exchanges beside each probe (`probes/<id>.replies.ts`), the RuleTester of this house: server states
 * a replay TCP server answers on loopback, each citing where its bytes come from (the product's source or docs with
 * a version, or "recorded from <server version> here"). test/integration/probes/probe-tester.test.ts runs every probe against
 * every case: the status, that every request matches the probe's meta.sends (read-only), that no planted secret
 * survives into the observation, and hostile variants of the exposed case (cut short, garbage).
 */

/**
 * The server states a replies file describes; exposed and secured are required. `unsupported`: the product, in a
 * version or mode the probe cannot decide on (no protocol version in common).
 */
export type ServerState = 'exposed' | 'secured' | 'denied' | 'busy' | 'not-this-protocol' | 'unsupported' | 'hostile';

/**
 * What the observation must show beyond its status, each checked with toMatchObject (a subset: arrays whole, objects
 * by the keys given); a RegExp stands for a string it matches. `data: null`: no measured data at all.
 */
export interface CaseShows {
  evidence?: Record<string, unknown>;
  facts?: Record<string, unknown>;
  data?: Record<string, unknown> | null;
  /** Every request the server received, in order, named as the replay server names them. */
  received?: Array<string | RegExp>;
}

export interface Exchange {
  /**
   * The request this answers, as the replay server names it (the replies file's `describe`, else describeWrite):
   * a string matches exactly, a RegExp by test. Omitted: the connection opening (the server speaks first).
   */
  request?: string | RegExp;
  /**
   * Bytes written back (a string is sent as latin1); a function derives them from the request where the protocol
   * echoes something of it (a request id, a challenge). Omitted: nothing.
   */
  reply?: string | Buffer | ((request: Buffer) => Buffer);
  /** Close the connection after the reply. */
  close?: boolean;
}

export interface ProbeCase {
  state: ServerState;
  /** Where these bytes come from: source file or documentation with the version, or "recorded from … here". */
  source: string;
  /** Answered in order of first match per request; a request nothing answers closes the connection. */
  exchanges: Exchange[];
  /** The verdict (one of several for hostile peers) and, for `error`, the code; what else the observation shows. */
  expect: { status: Status | Status[]; code?: ErrorCode; product?: string } & CaseShows;
  /** Secrets planted in the replies: none may appear anywhere in the observation. */
  planted?: string[];
  /** Run with --sample N. */
  sampleRows?: number;
}

export interface ProbeReplies {
  /** Probe id (= file name in probes/). */
  probe: string;
  /** Frames one client request from the bytes received: its length, or undefined when more bytes are needed. */
  frameRequest(buf: Buffer): number | undefined;
  /** A binary request decoded to its declared meta.sends form (`Query "…"`), else undefined (describeWrite is used). */
  describe?(request: Buffer): string | undefined;
  cases: Record<string, ProbeCase>;
  /**
   * The start of a reply that keeps this probe's parser waiting for more (a huge announced length, an unfinished
   * line or document): the hostile suite (test/hostile/peers.test.ts) streams filler after it and expects the byte
   * cap to end the read before the deadline. Omitted: the transport's generic prefix is used.
   */
  endless?: { prefix: string | Buffer; source: string };
}

/** A binary request named as its probe declares it: the `request` of the send whose `bytes` it is, else undefined. */
export function declaredName(sends: readonly Send[], request: Buffer): string | undefined {
  const name = describeWrite(request);
  return sends.find((s) => s.bytes && describeWrite(s.bytes) === name)?.request;
}

/** Requests that end at a line feed (RESP inline commands, memcached, ZooKeeper words have none: see below). */
export function lineRequests(buf: Buffer): number | undefined {
  const i = buf.indexOf(0x0a);
  return i < 0 ? undefined : i + 1;
}

/** Requests carrying their own length: `size` bytes at `offset` (BE unless `le`), plus `extra` bytes not counted. */
export function lengthPrefixed(
  offset: number,
  size: 3 | 4,
  opts: { le?: boolean; extra?: number } = {},
): (buf: Buffer) => number | undefined {
  return (buf) => {
    if (buf.length < offset + size) return undefined;
    const n = opts.le ? buf.readUIntLE(offset, size) : buf.readUIntBE(offset, size);
    const total = n + (opts.extra ?? 0);
    return buf.length >= total ? total : undefined;
  };
}

/** HTTP/1.1 requests: headers, then Content-Length bytes of body. */
export function httpRequests(buf: Buffer): number | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const m = /\r\ncontent-length: *(\d+)/i.exec(buf.toString('latin1', 0, end));
  const total = end + 4 + (m ? Number(m[1]) : 0);
  return buf.length >= total ? total : undefined;
}

/** An HTTP request named as the engine records it: `METHOD path`. */
export function describeHttp(request: Buffer): string | undefined {
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/.exec(request.toString('latin1'));
  return m ? `${m[1]} ${m[2]}` : undefined;
}

/** One HTTP/1.1 response as bytes (Content-Length set, the connection kept open). */
export function httpResponse(status: number, headers: Record<string, string>, body: string | object = ''): Buffer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const b = Buffer.from(text);
  const head = [
    `HTTP/1.1 ${status} ${status < 300 ? 'OK' : 'Status'}`,
    ...Object.entries({ ...(typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers }).map(
      ([k, v]) => `${k}: ${v}`,
    ),
    `content-length: ${b.length}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

const required: ServerState[] = ['exposed', 'secured'];

/** Problems with a probe's replies file (empty when valid). */
export function probeRepliesProblems(r: ProbeReplies): string[] {
  const problems: string[] = [];
  const states = new Set(Object.values(r.cases).map((c) => c.state));
  for (const s of required) if (!states.has(s)) problems.push(`no ${s} case`);
  if (r.endless && !r.endless.source.trim()) problems.push('endless prefix cites no source');
  for (const [name, c] of Object.entries(r.cases)) {
    if (!c.source?.trim()) problems.push(`case ${name} cites no source`);
    if (!c.exchanges.length) problems.push(`case ${name} has no exchanges`);
    if (c.state === 'busy' && (c.expect.status !== 'error' || c.expect.code !== 'EA_BUSY') && c.expect.status !== 'exposed')
      problems.push(`busy case ${name} must expect error EA_BUSY (or exposed when the reply proves no authentication)`);
  }
  return problems;
}
