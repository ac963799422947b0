import { EaError, errorCodes, type ErrorCode, type ErrorDetails } from '../errors.js';
import type { Status } from '../types.js';

/**
 * The one table from a socket errno or an undici error code to a stable code and the endpoint's status. Used by the
 * TCP helper (net/tcp.ts), the HTTP helper (net/http.ts), the connect phase and the connect scheduler (engine/), so
 * a failure reads the same whichever path met it. Tests mirror each row (test/integration/net/errno.test.ts).
 *
 * `status` is the verdict when the failure happens while connecting; `afterConnect`, when it differs, once a
 * connection existed (an ETIMEDOUT on an established connection is the kernel giving up on retransmissions: the
 * server went silent, not a firewall).
 */
export interface ErrnoRow {
  readonly code: ErrorCode;
  readonly status: Status;
  readonly afterConnect?: Status;
  /** Ran out of something on this machine (descriptors, ephemeral ports, buffers): retry with fewer in flight. */
  readonly local?: true;
  /** Raised only while connecting (undici names its connect timeout apart from the others). */
  readonly phase?: 'connect';
}

const localLimit: ErrnoRow = { code: 'EA_LOCAL_LIMIT', status: 'error', local: true };
const unreachable: ErrnoRow = { code: 'EA_UNREACHABLE', status: 'filtered', afterConnect: 'error' };
const reset: ErrnoRow = { code: 'EA_RESET', status: 'error' };
const closedEarly: ErrnoRow = { code: 'EA_CLOSED', status: 'error' };
const timedOut: ErrnoRow = { code: 'EA_TIMEOUT', status: 'timeout' };
const tooLarge: ErrnoRow = { code: 'EA_TOO_LARGE', status: 'error' };

export const errnoTable: Readonly<Record<string, ErrnoRow>> = {
  // RST to our SYN: nothing listens there. The port actively refuses: `closed`, a positive answer.
  ECONNREFUSED: { code: 'EA_REFUSED', status: 'closed' },
  ECONNRESET: reset,
  EPIPE: reset,
  ECONNABORTED: reset,
  // ICMP host/network unreachable, or a local firewall's REJECT (EACCES / EPERM from netfilter): "not from here".
  EHOSTUNREACH: unreachable,
  ENETUNREACH: unreachable,
  EHOSTDOWN: unreachable,
  EACCES: unreachable,
  EPERM: unreachable,
  // During connect: the kernel's own SYN retransmissions ran out with no answer (tcp_syn_retries) — filtered.
  // Afterwards: the peer stopped acknowledging data — a timeout of the exchange.
  ETIMEDOUT: { code: 'EA_TIMEOUT', status: 'filtered', afterConnect: 'timeout' },
  // This machine, not the peer: descriptors (EMFILE per process, ENFILE system-wide), ephemeral ports
  // (EADDRNOTAVAIL: no free local port for this destination; EADDRINUSE), buffers (ENOBUFS, EAGAIN).
  EMFILE: localLimit,
  ENFILE: localLimit,
  ENOBUFS: localLimit,
  EAGAIN: localLimit,
  EADDRNOTAVAIL: localLimit,
  EADDRINUSE: localLimit,
  // undici's codes (node_modules/undici/lib/core/errors.js): one class per constant code.
  UND_ERR_CONNECT_TIMEOUT: { code: 'EA_TIMEOUT', status: 'timeout', phase: 'connect' },
  UND_ERR_HEADERS_TIMEOUT: timedOut,
  UND_ERR_BODY_TIMEOUT: timedOut,
  UND_ERR_HEADERS_OVERFLOW: tooLarge,
  UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: tooLarge,
  UND_ERR_SOCKET: closedEarly,
  UND_ERR_CLOSED: closedEarly,
  UND_ERR_ABORTED: { code: 'EA_ABORTED', status: 'error' },
};

/** A TLS failure, recognised by its text (Node's TLS errors carry OpenSSL reasons, mostly without an errno). */
const tlsText = /tls|ssl|certificate|handshake|wrong version number|EPROTO/i;

/**
 * The row for an error code (errno or undici's), with what is known when the code is not in the table: llhttp's
 * parse errors (HPE_*) are EA_PROTOCOL, TLS failures EA_TLS; any other failure is EA_UNREACHABLE while connecting
 * (the address could not be reached, reason unknown: not tested) and EA_RESET after (the connection broke).
 */
export function errnoRow(code: string | undefined, phase: ErrorDetails['phase'], message = ''): ErrnoRow {
  const row = errnoTable[code ?? ''];
  if (row) return row;
  if (/^HPE_/.test(code ?? '')) return { code: 'EA_PROTOCOL', status: 'error' };
  if (tlsText.test(`${code ?? ''} ${message}`)) return { code: 'EA_TLS', status: 'error' };
  return phase === 'connect' ? { code: 'EA_UNREACHABLE', status: 'error' } : reset;
}

/** The status for a failure with this row in this phase. */
export function statusOf(row: ErrnoRow, phase: ErrorDetails['phase']): Status {
  return phase === 'connect' || row.afterConnect === undefined ? row.status : row.afterConnect;
}

/** Maps a Node socket error to an EaError with its stable code. */
export function fromSocketError(err: NodeJS.ErrnoException, phase: ErrorDetails['phase']): EaError {
  const row = errnoRow(err.code, phase, String(err.message));
  return new EaError(row.code, `${errorCodes[row.code]} (${err.code ?? err.message})`, { phase }, { cause: err });
}
