import type { ProbeReplies } from '../src/probe-replies.js';

/**
 * ZooKeeper four-letter words: each on a fresh connection, answered, then closed (apache/zookeeper NIOServerCnxn,
 * FourLetterCommands.java; srvr layout from StatCommand). Texts as ZooKeeper 3.8 prints them.
 */
const srvr =
  'Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 1\nSent: 0\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n';
const mntr = 'zk_version\t3.8.4-9316c2a7\nzk_server_state\tstandalone\nzk_znode_count\t5\nzk_approximate_data_size\t44\n';

export default {
  probe: 'zookeeper',
  // A word is four bytes with no terminator.
  frameRequest: (buf) => (buf.length >= 4 ? 4 : undefined),
  endless: {
    prefix: 'Zookeeper version: 3.8.4, built on 2024-02-12 22:16 UTC\nLatency min/avg/max: ',
    source: 'srvr output (StatCommand) that never ends',
  },
  cases: {
    open: {
      state: 'exposed',
      source: 'srvr/mntr output of ZooKeeper 3.8.4 (StatCommand, MonitorCommand)',
      exchanges: [
        { request: 'srvr', reply: srvr, close: true },
        { request: 'mntr', reply: mntr, close: true },
      ],
      expect: { status: 'exposed', product: 'ZooKeeper' },
    },
    'words-disabled': {
      state: 'secured',
      source: 'FourLetterCommands.java: "<word> is not executed because it is not in the whitelist." (4lw.commands.whitelist)',
      exchanges: [{ request: 'srvr', reply: 'srvr is not executed because it is not in the whitelist.\n', close: true }],
      // ZooKeeper identified, access not decided: the note says the session protocol is what would decide it.
      expect: { status: 'error', code: 'EA_PROTOCOL', product: 'ZooKeeper', evidence: { notes: [/session/] } },
    },
    'not-serving': {
      state: 'busy',
      source: 'FourLetterCommands.ZK_NOT_SERVING, answered while the member has no quorum or is starting',
      exchanges: [{ request: 'srvr', reply: 'This ZooKeeper instance is not currently serving requests\n', close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'ZooKeeper' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers a malformed request line (RFC 9112)',
      exchanges: [{ request: 'srvr', reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
