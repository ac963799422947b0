// One row per entry of the errno / undici-code table (src/net/errno.ts), written out again by hand: a row changed
// or added there without its expectation here fails the parity test, which names the fix.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../src/errors.js';
import { errnoRow, errnoTable, fromSocketError, statusOf } from '../../../src/net/errno.js';
import { closedPort } from '../../support/fake-servers.js';

/** [errno or undici code, code, status while connecting, status after connecting, local exhaustion] */
const rows: Array<[string, string, string, string, boolean]> = [
  ['ECONNREFUSED', 'EA_REFUSED', 'closed', 'closed', false],
  ['ECONNRESET', 'EA_RESET', 'error', 'error', false],
  ['EPIPE', 'EA_RESET', 'error', 'error', false],
  ['ECONNABORTED', 'EA_RESET', 'error', 'error', false],
  ['EHOSTUNREACH', 'EA_UNREACHABLE', 'filtered', 'error', false],
  ['ENETUNREACH', 'EA_UNREACHABLE', 'filtered', 'error', false],
  ['EHOSTDOWN', 'EA_UNREACHABLE', 'filtered', 'error', false],
  ['EACCES', 'EA_UNREACHABLE', 'filtered', 'error', false],
  ['EPERM', 'EA_UNREACHABLE', 'filtered', 'error', false],
  ['ETIMEDOUT', 'EA_TIMEOUT', 'filtered', 'timeout', false],
  ['EMFILE', 'EA_LOCAL_LIMIT', 'error', 'error', true],
  ['ENFILE', 'EA_LOCAL_LIMIT', 'error', 'error', true],
  ['ENOBUFS', 'EA_LOCAL_LIMIT', 'error', 'error', true],
  ['EAGAIN', 'EA_LOCAL_LIMIT', 'error', 'error', true],
  ['EADDRNOTAVAIL', 'EA_LOCAL_LIMIT', 'error', 'error', true],
  ['EADDRINUSE', 'EA_LOCAL_LIMIT', 'error', 'error', true],
  ['UND_ERR_CONNECT_TIMEOUT', 'EA_TIMEOUT', 'timeout', 'timeout', false],
  ['UND_ERR_HEADERS_TIMEOUT', 'EA_TIMEOUT', 'timeout', 'timeout', false],
  ['UND_ERR_BODY_TIMEOUT', 'EA_TIMEOUT', 'timeout', 'timeout', false],
  ['UND_ERR_HEADERS_OVERFLOW', 'EA_TOO_LARGE', 'error', 'error', false],
  ['UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE', 'EA_TOO_LARGE', 'error', 'error', false],
  ['UND_ERR_SOCKET', 'EA_CLOSED', 'error', 'error', false],
  ['UND_ERR_CLOSED', 'EA_CLOSED', 'error', 'error', false],
  ['UND_ERR_ABORTED', 'EA_ABORTED', 'error', 'error', false],
];

describe('errno table', () => {
  it.each(rows)('%s → %s, %s while connecting, %s after', (errno, code, connecting, after, local) => {
    const row = errnoRow(errno, 'connect');
    expect(row.code).toBe(code);
    expect(statusOf(row, 'connect')).toBe(connecting);
    expect(statusOf(errnoRow(errno, 'read'), 'read')).toBe(after);
    expect(row.local ?? false).toBe(local);
  });

  it('parity: every row of src/net/errno.ts has its expectation here', () => {
    const missing = Object.keys(errnoTable).filter((k) => !rows.some(([e]) => e === k));
    const stale = rows.map(([e]) => e).filter((e) => !(e in errnoTable));
    expect(missing, `add a row for ${missing.join(', ')} to test/integration/net/errno.test.ts`).toEqual([]);
    expect(stale, `remove ${stale.join(', ')} from test/integration/net/errno.test.ts (no longer in the table)`).toEqual([]);
  });

  it('undici names its connect timeout apart: the row says it happened while connecting', () => {
    expect(errnoRow('UND_ERR_CONNECT_TIMEOUT', 'read').phase).toBe('connect');
    expect(errnoRow('UND_ERR_HEADERS_TIMEOUT', 'read').phase).toBeUndefined();
  });

  it('codes outside the table: llhttp parse errors, TLS failures, and the rest by phase', () => {
    expect(errnoRow('HPE_INVALID_CONSTANT', 'read').code).toBe('EA_PROTOCOL');
    expect(errnoRow('ERR_SSL_WRONG_VERSION_NUMBER', 'tls').code).toBe('EA_TLS');
    expect(errnoRow(undefined, 'tls', 'Client network socket disconnected before secure TLS connection was established').code).toBe(
      'EA_TLS',
    );
    // Unknown while connecting: the address could not be reached (not tested); unknown afterwards: the link broke.
    expect(errnoRow('EWHATEVER', 'connect')).toMatchObject({ code: 'EA_UNREACHABLE', status: 'error' });
    expect(errnoRow('EWHATEVER', 'read')).toMatchObject({ code: 'EA_RESET', status: 'error' });
  });

  it('fromSocketError: the stable code, its sentence and the errno in the message; local exhaustion hints at ulimit', () => {
    const e = fromSocketError(Object.assign(new Error('connect EADDRNOTAVAIL 127.0.0.1:1'), { code: 'EADDRNOTAVAIL' }), 'connect');
    expect(e.code).toBe('EA_LOCAL_LIMIT');
    expect(e.message).toBe(`${errorCodes.EA_LOCAL_LIMIT} (EADDRNOTAVAIL)`);
    expect(e.details.phase).toBe('connect');
  });

  it('a real refused connect on loopback maps to EA_REFUSED / closed', async () => {
    const port = await closedPort('127.0.0.141');
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = net.connect({ host: '127.0.0.141', port });
      s.once('error', resolve);
    });
    const row = errnoRow(err.code, 'connect');
    expect([row.code, statusOf(row, 'connect')]).toEqual(['EA_REFUSED', 'closed']);
  });
});
