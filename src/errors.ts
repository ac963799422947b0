/**
 * Stable error codes. The CLI, the JSON report and tests switch on `code`, never on message text.
 */
export const errorCodes = {
  EA_INVENTORY: 'the inventory file is missing, malformed or invalid',
  EA_USAGE: 'bad command-line usage',
  EA_DNS: 'a declared host name did not resolve',
  EA_TIMEOUT: 'the deadline passed before the exchange completed',
  EA_REFUSED: 'the connection was refused (nothing listens)',
  EA_UNREACHABLE: 'the address could not be reached',
  EA_RESET: 'the peer reset the connection',
  EA_CLOSED: 'the peer closed the connection before a complete reply',
  EA_TOO_LARGE: 'the reply exceeded the byte cap',
  EA_TLS: 'the TLS handshake failed',
  EA_PROTOCOL: 'the reply did not follow the expected protocol',
  EA_ABORTED: 'the run was interrupted',
  EA_SCOPE: 'a request would have left the declared host and port',
  EA_PROBE_CRASH: 'a probe threw an unexpected error',
  EA_OUTPUT: 'a report could not be written',
  EA_LOCAL_LIMIT: 'this machine ran out of file descriptors or sockets (raise `ulimit -n`, or lower --concurrency)',
  EA_BUSY: 'the server answered that it is busy, overloaded or still starting; try again',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetails {
  /** Bytes received before the failure (for EA_CLOSED / EA_TOO_LARGE / EA_TIMEOUT). */
  partial?: Buffer;
  /** Where in the exchange it failed. */
  phase?: 'connect' | 'tls' | 'write' | 'read';
  file?: string;
  line?: number;
  column?: number;
  [key: string]: unknown;
}

export class EaError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EaError';
    this.code = code;
    this.details = details;
  }
}

export function isEaError(err: unknown, code?: ErrorCode): err is EaError {
  return err instanceof EaError && (code === undefined || err.code === code);
}

/** Socket errnos and the stable code each maps to (shared by the TCP and HTTP helpers). */
export const codeByErrno: Readonly<Record<string, ErrorCode>> = {
  ECONNREFUSED: 'EA_REFUSED',
  ECONNRESET: 'EA_RESET',
  EPIPE: 'EA_RESET',
  EHOSTUNREACH: 'EA_UNREACHABLE',
  ENETUNREACH: 'EA_UNREACHABLE',
  EADDRNOTAVAIL: 'EA_UNREACHABLE',
  ETIMEDOUT: 'EA_TIMEOUT',
  // Local exhaustion, not the peer: too many open files in this process (EMFILE) or system-wide (ENFILE).
  EMFILE: 'EA_LOCAL_LIMIT',
  ENFILE: 'EA_LOCAL_LIMIT',
  ENOBUFS: 'EA_LOCAL_LIMIT',
};

/** Maps a Node socket error to a stable code. */
export function fromSocketError(err: NodeJS.ErrnoException, phase: ErrorDetails['phase']): EaError {
  const code: ErrorCode =
    codeByErrno[err.code ?? ''] ?? (/tls|ssl|certificate|handshake/i.test(String(err.message)) ? 'EA_TLS' : 'EA_RESET');
  return new EaError(code, `${errorCodes[code]} (${err.code ?? err.message})`, { phase }, { cause: err });
}
