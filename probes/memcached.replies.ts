import { lineRequests, type ProbeReplies } from '../src/probe-replies.js';

/**
 * memcached text protocol states. Reply shapes: memcached doc/protocol.txt (version, stats, stats items; ASCII auth
 * `CLIENT_ERROR unauthenticated`); the connection limit text from memcached.c (conn_listening, maxconns).
 */
const stats = [
  'STAT pid 1234',
  'STAT uptime 86400',
  'STAT version 1.6.18',
  'STAT curr_connections 2',
  'STAT curr_items 3',
  'STAT total_items 10',
  'STAT bytes 4096',
  'STAT limit_maxbytes 67108864',
  'END',
  '',
].join('\r\n');

export default {
  probe: 'memcached',
  frameRequest: lineRequests,
  endless: { prefix: 'STAT pid 1\r\nSTAT ', source: 'a stats reply (doc/protocol.txt) that never reaches END' },
  cases: {
    open: {
      state: 'exposed',
      source: 'doc/protocol.txt "General-purpose statistics" and "Item statistics"; values as memcached 1.6.18 (Debian 12) prints them',
      exchanges: [
        { request: 'version', reply: 'VERSION 1.6.18\r\n' },
        { request: 'stats', reply: stats },
        { request: 'stats items', reply: 'STAT items:1:number 3\r\nSTAT items:1:age 120\r\nEND\r\n' },
        { request: 'quit', close: true },
      ],
      expect: { status: 'exposed', product: 'memcached' },
    },
    'ascii-auth': {
      state: 'secured',
      source: 'memcached 1.6 proto_text.c: every command before authentication under -Y answers CLIENT_ERROR unauthenticated',
      exchanges: [{ request: 'version', reply: 'CLIENT_ERROR unauthenticated\r\n' }],
      expect: { status: 'auth-required', product: 'memcached' },
    },
    'too-many-connections': {
      state: 'busy',
      source:
        'memcached.c drive_machine conn_listening: "ERROR Too many open connections\\r\\n" at accept when maxconns is reached, then close',
      exchanges: [{ reply: 'ERROR Too many open connections\r\n', close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'memcached' },
    },
    'out-of-memory': {
      state: 'busy',
      source: 'memcached proto_text.c: "SERVER_ERROR out of memory" when a request cannot be allocated',
      exchanges: [{ request: 'version', reply: 'SERVER_ERROR out of memory reading request\r\n' }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'memcached' },
    },
    'redis-answers': {
      state: 'not-this-protocol',
      source: 'Redis answering an unknown inline command (redis 7.2 src/server.c processCommand)',
      exchanges: [{ request: 'version', reply: "-ERR unknown command 'version', with args beginning with: \r\n" }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
