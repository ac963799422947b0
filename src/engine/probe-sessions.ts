import { isEaError } from '../errors.js';
import type { Limits } from '../net/limits.js';
import { tcpConnect, type TcpConnectOptions, type TcpSession } from '../net/tcp.js';
import { describeWrite, type ProbeContext, type ProbeResult } from '../probe.js';
import { redactedExcerpt } from '../risk/redact.js';
import type { ProbeTarget } from '../types.js';
import { hedgedConnect, type HedgePlan } from './hedge.js';

/** Longest excerpt of a reply that was not this protocol (redacted first, then cut). */
export const notThisProtocolChars = 120;

export interface ProbeSessions {
  tcp: ProbeContext['tcp'];
  /** Every request written, as described by describeWrite (HTTP requests are appended by the caller). */
  sent: string[];
  usedTls(): boolean;
  /**
   * The "not this protocol" verdict when `err` ended the attempt inside its first exchange: the first session's
   * first reply (or its parsing, before the probe wrote again) did not follow the protocol. Undefined otherwise.
   */
  notThisProtocol(err: unknown): ProbeResult | undefined;
  /** Closes every session the probe opened (idempotent): probes never close their own. */
  closeAll(): void;
}

/**
 * The TCP side of a probe attempt: one byte budget across every session, every write recorded, every session
 * closed by the engine, and the first exchange watched so a peer speaking another protocol reads `not-detected`.
 */
export function probeSessions(
  target: ProbeTarget,
  limits: Limits,
  budget: { left(): number; spend(n: number): void },
  hedge?: HedgePlan,
): ProbeSessions {
  const sent: string[] = [];
  const open: TcpSession[] = [];
  let tls = false;
  // The first exchange of the attempt: the first session until it writes after its first complete read.
  type FirstExchange = { proof: string; done: boolean };
  let first: FirstExchange | undefined;
  return {
    sent,
    usedTls: () => tls,
    closeAll: () => open.splice(0).forEach((s) => s.close()),
    notThisProtocol(err) {
      if (!first || first.done || !isEaError(err, 'EA_PROTOCOL')) return undefined;
      // Redacted before it is cut: a token cut by the excerpt would no longer match.
      const reply = redactedExcerpt(err.details.partial?.toString('utf8') ?? '', notThisProtocolChars);
      return { status: 'not-detected', evidence: { proof: first.proof, reply }, facts: {} };
    },
    async tcp(o = {}) {
      const { proof, ...connect } = o;
      const session = await connectHedged(target, { ...limits, maxBytes: budget.left() }, connect, hedge);
      open.push(session);
      tls ||= session.tls;
      const mine: FirstExchange | undefined = first ? undefined : (first = { proof: proof ?? 'server greeting', done: false });
      let counted = 0;
      let reads = 0;
      return {
        get tls() {
          return session.tls;
        },
        get bytesRead() {
          return session.bytesRead;
        },
        async write(data) {
          const described = describeWrite(data);
          sent.push(described);
          if (mine && reads > 0) mine.done = true;
          if (mine && reads === 0 && proof === undefined) mine.proof = described;
          return session.write(data);
        },
        async read(frame) {
          try {
            return await session.read(frame);
          } catch (err) {
            // A later reply that fails to parse is a broken conversation with an identified peer: error, not absence.
            if (mine && reads > 0) mine.done = true;
            throw err;
          } finally {
            reads++;
            budget.spend(session.bytesRead - counted);
            counted = session.bytesRead;
          }
        },
        async startTls() {
          await session.startTls();
          tls = true;
        },
        close: () => session.close(),
      };
    },
  };
}

/**
 * The probe's own connect, hedged (hedge.ts) when the plan allows: the endpoint accepted a moment ago, so a SYN
 * unanswered within the network's adaptive timeout is most likely lost. Every attempt ends when the first one's
 * --connect-timeout does.
 */
function connectHedged(target: ProbeTarget, limits: Limits, connect: TcpConnectOptions, hedge: HedgePlan | undefined): Promise<TcpSession> {
  if (!hedge?.extra) return tcpConnect(target, limits, connect);
  const t0 = performance.now();
  return hedgedConnect(
    (signal, i) =>
      tcpConnect(
        target,
        {
          ...limits,
          signal: AbortSignal.any([limits.signal, signal]),
          connectTimeoutMs: i ? Math.max(1, limits.connectTimeoutMs - (performance.now() - t0)) : limits.connectTimeoutMs,
        },
        connect,
      ),
    hedge,
    (err) => isEaError(err, 'EA_TIMEOUT'),
  );
}
