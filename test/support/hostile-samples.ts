import type { Probe } from '../../src/probe.js';
import type { ProbeCase, ProbeReplies } from '../../src/probe-replies.js';
import { probes } from '../../src/cli/registry.js';
import { loadProbeReplies, runCase } from '../support/probe-tester.js';

export { garbage } from '../support/probe-tester.js';

/**
 * Per-probe reply bytes for the hostile suite, as a server would write them, taken from each probe's recorded
 * replies (probes/<id>.replies.ts, one home for a probe's bytes): the exposed case's first reply, the secured
 * case's replies and verdict, its endless prefix. Function replies (an echoed request id or stream) are resolved
 * by replaying the case to the probe once on 127.0.9.3 and keeping what the replay server wrote. Probes without a
 * replies file (HTTP catalog probes) get the generic fallback for their transport, so a new probe is still covered
 * by every hostile case (with bytes that are merely plausible rather than its own protocol); `samplesFor` says
 * which it got.
 */
export interface ReplySamples {
  /** A complete, valid-looking first reply: cut in half it is the "truncated" reply, dripped it is the slow one. */
  valid: Buffer;
  /** Bytes that keep this probe's parser waiting for more (a huge length prefix): endless streams start with it. */
  endlessPrefix: Buffer;
  /**
   * A reply proving "credentials required" (or however the secured case ends), written at once to the probe's first
   * request: used over real TLS to check the TLS paths end to end. TCP probes get every reply of the secured case
   * in one write (they read them in turn), HTTP probes the first.
   */
  auth?: Buffer;
  /** The status `auth` must produce. */
  authStatus?: string;
  /** The secured case ends by closing the connection: the TLS peer closes after `auth` too. */
  authCloses?: boolean;
  /** The server speaks first (MySQL's greeting): hostile peers act at accept instead of waiting for a request. */
  serverFirst?: boolean;
}

function httpReply(status: number, headers: Record<string, string>, body: string | Buffer): Buffer {
  const b = Buffer.from(body);
  const reason = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 401: 'Unauthorized', 403: 'Forbidden' }[status] ?? 'Status';
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${b.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

const RECORD_HOST = '127.0.9.3';
const bytes = (b: string | Buffer) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : b);

/** What the replay server wrote on the first connection of `c`, played to `probe`. */
async function firstConnection(probe: Probe, replies: ProbeReplies, c: ProbeCase): Promise<Buffer[]> {
  return (await runCase(probe, replies, c, RECORD_HOST)).written.find((w) => w.length > 0) ?? [];
}

async function fromReplies(probe: Probe, replies: ProbeReplies): Promise<ReplySamples | undefined> {
  const cases = Object.values(replies.cases);
  const exposed = cases.find((c) => c.state === 'exposed');
  const secured = cases.find((c) => c.state === 'secured');
  if (!exposed) return undefined;
  const valid = (await firstConnection(probe, replies, exposed))[0];
  if (!valid) return undefined;
  const auth = secured ? await firstConnection(probe, replies, secured) : [];
  const http = probe.meta.transport === 'http';
  return {
    valid,
    endlessPrefix: replies.endless ? bytes(replies.endless.prefix) : fallback[probe.meta.transport].endlessPrefix,
    ...(secured && auth.length
      ? {
          auth: http ? auth[0]! : Buffer.concat(auth),
          authStatus: [secured.expect.status].flat()[0]!,
          authCloses: http || secured.exchanges.some((e) => e.close),
        }
      : {}),
    serverFirst: exposed.exchanges[0]?.request === undefined,
  };
}

const fallback: Record<Probe['meta']['transport'], ReplySamples> = {
  http: {
    valid: httpReply(200, { 'Content-Type': 'application/json' }, '{"status":"ok","version":"1.0.0"}'),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>'),
  },
  tcp: {
    valid: Buffer.from('+PONG\r\n'),
    endlessPrefix: Buffer.alloc(0),
  },
};

const byId = new Map(probes.map((p) => [p.meta.id, p]));
/** Every probe with a replies file (byte replays), for the suite to check none fell back to generic bytes. */
const allReplies = await loadProbeReplies();
export const withReplies = allReplies.map((r) => r.probe);
const known = new Map<string, ReplySamples>(
  (
    await Promise.all(
      allReplies.map(async (replies) => {
        const probe = byId.get(replies.probe);
        const samples = probe && (await fromReplies(probe, replies));
        return samples ? [[replies.probe, samples] as const] : [];
      }),
    )
  ).flat(),
);

/**
 * The samples for `probe`: `generic` when it has no replies file to take them from; `genericEndless` when its
 * replies file declares no endless prefix (the transport's is used).
 */
export function samplesFor(probe: Probe): ReplySamples & { generic: boolean; genericEndless: boolean } {
  const k = known.get(probe.meta.id);
  if (!k) return { ...fallback[probe.meta.transport], generic: true, genericEndless: true };
  return { ...k, generic: false, genericEndless: k.endlessPrefix === fallback[probe.meta.transport].endlessPrefix };
}
