import { lineRequests, type ProbeReplies } from '../src/probe-replies.js';

/**
 * Redis server states as RESP bytes. Reply shapes: the RESP spec (https://redis.io/docs/latest/develop/reference/protocol-spec/)
 * and INFO's `# Section` / `key:value` layout (https://redis.io/docs/latest/commands/info/); error texts from redis
 * 7.2 src/server.c (shared.noautherr, shared.loadingerr, shared.slowevalerr, shared.masterdownerr) and
 * src/networking.c (acceptCommonHandler: maxclients, protected mode).
 */
const planted = 'sk-proj-FAKE0000PLANTEDnotREALkey42';
const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const info = [
  '# Server',
  'redis_version:7.2.4',
  'redis_mode:standalone',
  'os:Linux 6.1.0-18-amd64 x86_64',
  'uptime_in_seconds:86400',
  '',
  '# Clients',
  'connected_clients:3',
  '',
  '# Memory',
  'used_memory:1048576',
  '',
  '# Stats',
  'total_connections_received:42',
  '',
  '# Replication',
  'role:master',
  '',
  '# Keyspace',
  'db0:keys=3,expires=1,avg_ttl=0',
  '',
].join('\r\n');
const scan = `*2\r\n${bulk('0')}*3\r\n${bulk('session:9f2c')}${bulk('user:42')}${bulk('config:api_token')}`;
/** An inline command is one line; a RESP array (`*<n>`, then n `$<len>` + value pairs) is 1 + 2n lines. */
function respRequests(buf: Buffer): number | undefined {
  const first = lineRequests(buf);
  if (first === undefined || buf[0] !== 0x2a) return first;
  let end = first;
  for (let i = 0; i < 2 * Number(buf.toString('latin1', 1, first - 2)); i++) {
    const n = lineRequests(buf.subarray(end));
    if (n === undefined) return undefined;
    end += n;
  }
  return end;
}
const pingError = (text: string) => [{ request: 'PING', reply: `-${text}\r\n` }];

export default {
  probe: 'redis',
  frameRequest: respRequests,
  endless: { prefix: '$999999999\r\n', source: 'a RESP bulk string announcing 999,999,999 bytes (protocol spec, bulk strings)' },
  cases: {
    open: {
      state: 'exposed',
      source: 'RESP and INFO layout per the Redis docs above; values as redis 7.2.4 prints them',
      exchanges: [
        { request: 'PING', reply: '+PONG\r\n' },
        { request: 'INFO', reply: bulk(info) },
        { request: 'SCAN 0 COUNT 100', reply: scan },
        { request: /^MEMORY USAGE \S+$/, reply: ':72\r\n' },
        // The value holds a secret: --sample scans it, evidence never carries it.
        { request: /MGET/, reply: `*1\r\n${bulk(`token=${planted}`)}` },
        { request: 'QUIT', reply: '+OK\r\n', close: true },
      ],
      expect: { status: 'exposed', product: 'Redis' },
      planted: [planted],
      sampleRows: 2,
    },
    requirepass: {
      state: 'secured',
      source: 'redis 7.2 src/server.c shared.noautherr',
      exchanges: pingError('NOAUTH Authentication required.'),
      expect: { status: 'auth-required', product: 'Redis' },
    },
    'protected-mode': {
      state: 'denied',
      source: 'redis 7.2 src/networking.c acceptCommonHandler (protected mode text, first sentence)',
      exchanges: [
        {
          reply:
            '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.\r\n',
          close: true,
        },
      ],
      expect: { status: 'denied', product: 'Redis' },
    },
    maxclients: {
      state: 'busy',
      source: 'redis 7.2 src/networking.c acceptCommonHandler: "-ERR max number of clients reached", written at accept, then closed',
      exchanges: [{ reply: '-ERR max number of clients reached\r\n', close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'Redis' },
    },
    loading: {
      state: 'busy',
      source: 'redis 7.2 src/server.c shared.loadingerr, refused in processCommand after the authentication check',
      exchanges: pingError('LOADING Redis is loading the dataset in memory'),
      expect: { status: 'exposed', product: 'Redis' },
    },
    'busy-script': {
      state: 'busy',
      source: 'redis 7.2 src/server.c shared.slowevalerr (a script running past busy-reply-threshold), after the authentication check',
      exchanges: pingError('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.'),
      expect: { status: 'exposed', product: 'Redis' },
    },
    masterdown: {
      state: 'busy',
      source: 'redis 7.2 src/server.c shared.masterdownerr (replica-serve-stale-data no), after the authentication check',
      exchanges: pingError("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."),
      expect: { status: 'exposed', product: 'Redis' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers a bare line (RFC 9112); the header carries a planted key',
      exchanges: [{ request: 'PING', reply: `HTTP/1.1 400 Bad Request\r\nX-Debug: ${planted}\r\nContent-Length: 0\r\n\r\n`, close: true }],
      expect: { status: 'not-detected' },
      planted: [planted],
    },
  },
} satisfies ProbeReplies;
