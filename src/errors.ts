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
  EA_BUSY: 'the service answered that it is busy, overloaded, starting or shutting down: inconclusive, test again later',
  EA_ABORTED: 'the run was interrupted',
  EA_SCOPE: 'a request would have left the declared host and port',
  EA_PROBE_CRASH: 'a probe threw an unexpected error',
  EA_OUTPUT: 'a report could not be written',
  EA_LOCAL_LIMIT: 'this machine ran out of file descriptors or sockets (raise `ulimit -n`, or lower --concurrency)',
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

/**
 * Marks an EaError across copies of this module: the installed CLI's start-up build (dist/src/cli/bin.cjs) carries
 * one, and the modules a command loads on demand from dist/src another; `instanceof` sees only its own.
 */
const brand = Symbol.for('exposure-audit.EaError');

export class EaError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EaError';
    this.code = code;
    this.details = details;
    Object.defineProperty(this, brand, { value: true });
  }
}

export function isEaError(err: unknown, code?: ErrorCode): err is EaError {
  const ours = err instanceof EaError || (err instanceof Error && (err as unknown as Record<symbol, unknown>)[brand] === true);
  return ours && (code === undefined || (err as EaError).code === code);
}
