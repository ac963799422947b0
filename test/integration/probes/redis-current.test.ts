// The redis probe against replays of CURRENT versions (Valkey 7.2/8.0, Redis 7.4/8.0) on 127.0.1.20–26, port 0.
// The real Debian redis-server 7.0 stays in redis.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import redisProbe from '../../../probes/redis.js';
import { parseKeyspaceLine } from '../../../src/protocols/resp.js';
import type { Status } from '../../../src/types.js';
import { startRedisReplay, type RedisFamilyVariant, type RedisReplay } from '../../fixtures/current/redis-family.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

const harness = createHarness({ probes: [redisProbe] });
const replays = new Map<RedisFamilyVariant, RedisReplay>();

interface Case {
  variant: RedisFamilyVariant;
  status: Status;
  product: string;
  version?: string;
  reply?: RegExp;
  facts?: Record<string, unknown>;
}

const cases: Case[] = [
  {
    variant: 'valkey-8.0-open',
    status: 'exposed',
    product: 'Valkey',
    version: '8.0.1',
    facts: { redisCompatVersion: '7.2.4', mode: 'standalone', keyspace: { db0: { keys: 4, expires: 0 } } },
  },
  {
    variant: 'valkey-8.0-protected',
    status: 'denied',
    product: 'Valkey',
    reply: /^-DENIED Running in protected mode/,
    facts: { protectedMode: true, passwordSet: false },
  },
  { variant: 'valkey-8.0-requirepass', status: 'auth-required', product: 'Redis', reply: /^-NOAUTH/ },
  {
    variant: 'valkey-7.2-open',
    status: 'exposed',
    product: 'Valkey',
    version: '7.2.5',
    facts: { redisCompatVersion: '7.2.4', mode: 'standalone' },
  },
  // 7.2.x still says "Redis is running in protected mode": the text cannot tell Valkey 7.2 from Redis.
  { variant: 'valkey-7.2-protected', status: 'denied', product: 'Redis', reply: /^-DENIED Redis is running/ },
  {
    variant: 'redis-7.4-open',
    status: 'exposed',
    product: 'Redis',
    version: '7.4.2',
    facts: { mode: 'standalone', keyspace: { db0: { keys: 4, expires: 1 } } },
  },
  {
    variant: 'redis-8.0-open',
    status: 'exposed',
    product: 'Redis',
    version: '8.0.2',
    facts: { mode: 'standalone', keyspace: { db0: { keys: 4, expires: 1 } } },
  },
];

beforeAll(async () => {
  let n = 20;
  for (const c of cases) replays.set(c.variant, await startRedisReplay(c.variant, `127.0.1.${n++}`));
});
afterAll(async () => {
  await harness.close();
  await Promise.all([...replays.values()].map((r) => r.close()));
});

describe('redis probe: current versions (replayed)', () => {
  it.each(cases)('$variant → $status ($product $version)', async (c) => {
    const r = replays.get(c.variant)!;
    r.commands.length = 0;
    const { observation: o } = await harness.probe('redis', r.host, r.port);
    expect(o.status).toBe(c.status);
    expect(o.evidence.product).toBe(c.product);
    if (c.version) expect(o.evidence.version).toBe(c.version);
    if (c.reply) expect(o.evidence.reply).toMatch(c.reply);
    if (c.facts) expect(o.facts).toMatchObject(c.facts);
    if (c.status === 'exposed') {
      expect(o.data?.totals.keys).toBe(4);
      expect(o.data?.items).toEqual(
        expect.arrayContaining([
          { kind: 'key', name: 'session:', rows: 2 },
          { kind: 'keyspace', name: 'db0', rows: 4 },
        ]),
      );
      // QUIT is written just before the close, so the replay may or may not have read it.
      expect(r.commands.filter((x) => x !== 'QUIT')).toEqual([
        'PING',
        'INFO',
        'SCAN 0 COUNT 100',
        ...Array<unknown>(4).fill(expect.stringMatching(/^MEMORY USAGE \S+$/)),
      ]);
      // The data's size from the sampled sizes (4 keys × 72 bytes), not the server's used_memory.
      expect(o.data?.totals.bytes).toBe(288);
    }
    for (const req of o.evidence.requests) expect(isDeclared(redisProbe.meta.sends, req), req).toBe(true);
  });

  it.each([
    ['≤ 7.2 / Valkey', 'keys=4,expires=0,avg_ttl=0', { keys: 4, expires: 0, avg_ttl: 0 }],
    ['Redis ≥ 7.4 (fourth field)', 'keys=4,expires=1,avg_ttl=0,subexpiry=0', { keys: 4, expires: 1, avg_ttl: 0, subexpiry: 0 }],
    [
      'an unknown future field',
      'keys=9,expires=2,avg_ttl=5,subexpiry=1,hotkeys=3',
      { keys: 9, expires: 2, avg_ttl: 5, subexpiry: 1, hotkeys: 3 },
    ],
  ])('keyspace line, %s', (_n, line, want) => {
    expect({ ...parseKeyspaceLine(line) }).toEqual(want);
  });
});
