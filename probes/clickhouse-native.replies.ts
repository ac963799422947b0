import { encodeString, varuint } from '../src/protocols/clickhouse-native.js';
import { describeWrite } from '../src/probe.js';
import type { ProbeReplies } from '../src/probe-replies.js';
import { hello } from './clickhouse-native.js';

/**
 * ClickHouse native protocol server packets (ClickHouse src/Core/Protocol.h: Hello = 0, Exception = 2; field order
 * from src/Server/TCPHandler.cpp sendHello/sendException for client revision 54449). Exception codes from
 * src/Common/ErrorCodes.cpp: 516 AUTHENTICATION_FAILED, 202 TOO_MANY_SIMULTANEOUS_QUERIES.
 */
const serverHello = Buffer.concat([
  varuint(0),
  encodeString('ClickHouse'),
  varuint(24),
  varuint(8),
  varuint(54472),
  encodeString('Etc/UTC'),
  encodeString('ch-replay'),
  varuint(14),
]);
const exceptionCode = (code: number) => {
  const c = Buffer.alloc(4);
  c.writeInt32LE(code);
  return c;
};
function exception(code: number, name: string, message: string): Buffer {
  return Buffer.concat([varuint(2), exceptionCode(code), encodeString(name), encodeString(message), encodeString(''), Buffer.from([0])]);
}
const clientHello = describeWrite(hello);

export default {
  probe: 'clickhouse-native',
  // The probe writes one ClientHello and nothing after it.
  frameRequest: (buf) => (buf.length >= hello.length ? hello.length : undefined),
  endless: {
    prefix: Buffer.concat([varuint(2), exceptionCode(516), Buffer.from([0, 0]), varuint(1_000_000)]),
    source: 'an Exception packet (empty name and message) announcing a 1 MB stack trace (TCPHandler::sendException field order)',
  },
  cases: {
    'default-user-open': {
      state: 'exposed',
      source: 'ServerHello of ClickHouse 24.8.14 (the default user without a password), per TCPHandler::sendHello',
      exchanges: [{ request: clientHello, reply: serverHello }],
      expect: { status: 'exposed', product: 'ClickHouse' },
    },
    'password-set': {
      state: 'secured',
      source: 'Exception 516 AUTHENTICATION_FAILED as ClickHouse 24.x words it for a wrong or missing password',
      exchanges: [
        {
          request: clientHello,
          reply: exception(
            516,
            'DB::Exception',
            'default: Authentication failed: password is incorrect, or there is no user with such name.',
          ),
          close: true,
        },
      ],
      expect: { status: 'auth-required', product: 'ClickHouse' },
    },
    'too-many-queries': {
      state: 'busy',
      source: 'Exception 202 TOO_MANY_SIMULTANEOUS_QUERIES (max_concurrent_queries reached; src/Interpreters/ProcessList.cpp wording)',
      exchanges: [
        { request: clientHello, reply: exception(202, 'DB::Exception', 'Too many simultaneous queries. Maximum: 100.'), close: true },
      ],
      expect: { status: 'error', code: 'EA_BUSY', product: 'ClickHouse' },
    },
    'http-port': {
      state: 'not-this-protocol',
      source: 'the ClickHouse HTTP port answering binary: an HTTP/1.0 400 (src/Server/HTTPHandler.cpp, RFC 9112)',
      exchanges: [
        {
          request: clientHello,
          reply: 'HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nCannot parse input\r\n',
          close: true,
        },
      ],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
