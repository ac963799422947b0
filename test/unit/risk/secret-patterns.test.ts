import { describe, expect, it } from 'vitest';
import { fingerprintSecret, redactDeep, redactText, registerSecret, type SecretHit } from '../../../src/risk/redact.js';
import { scanSecrets } from '../../../src/risk/scan.js';
import { secretPatterns } from '../../../src/risk/secret-patterns.js';

// All keys below are fabricated: right shape, no real credential.
const cases: Record<string, { match: string[]; miss: string[] }> = {
  'private-key': {
    match: [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg',
    ],
    miss: ['-----BEGIN CERTIFICATE-----\nMIIB', '-----BEGIN PUBLIC KEY-----'],
  },
  'anthropic-key': { match: ['sk-ant-api03-FAKEfakeFAKEfakeFAKEfake0123'], miss: ['sk-ant-short'] },
  'openai-key': {
    match: [
      'sk-FAKEfakeFAKEfakeFAKEfake0123456789',
      'sk-proj-FAKE_fake-FAKE_fake-0123456789',
      'Authorization: sk-0123456789abcdef0123456789abcdef',
    ],
    miss: ['sk-short', 'task-FAKEfakeFAKEfakeFAKEfake01234', 'desk-lamp-model-number-123'],
  },
  'aws-access-key': { match: ['AKIAIOSFODNN7EXAMPLE', 'id=ASIAZZZZZZZZZZZZZZZZ'], miss: ['AKIAshort', 'XAKIAIOSFODNN7EXAMPLEX'] },
  'github-token': {
    match: ['ghp_FAKEfakeFAKEfakeFAKEfakeFAKEfake0123', 'github_pat_FAKEfakeFAKEfake012345_more'],
    miss: ['ghp_short', 'ghx_FAKEfakeFAKEfakeFAKEfakeFAKEfake0123'],
  },
  'gitlab-token': { match: ['glpat-FAKEfakeFAKEfake0123'], miss: ['glpat-short'] },
  'slack-token': { match: ['xoxb-123456789012-FAKEfakeFAKE'], miss: ['xoxz-123456789012-FAKEfakeFAKE', 'xoxb-1'] },
  'slack-webhook': {
    match: ['https://hooks.slack.com/services/T00000000/B00000000/FAKEFAKEFAKEFAKE'],
    miss: ['https://hooks.slack.com/', 'https://slack.com/services/x'],
  },
  'google-api-key': { match: ['AIzaSyFAKE-fake_FAKEfakeFAKEfake0123456'], miss: ['AIzaShort', 'AIza'] },
  'stripe-key': {
    match: ['sk_live_FAKEfakeFAKEfake0123', 'rk_test_FAKEfakeFAKEfake0123'],
    miss: ['sk_live_short', 'pk_live_FAKEfakeFAKEfake0123'],
  },
  jwt: { match: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.FAKEsignatureFAKEsig'], miss: ['eyJhbGciOiJIUzI1NiJ9', 'eyJ.eyJ.x'] },
  'bearer-token': {
    match: ['Authorization: Bearer abcdef0123456789ABCDEF.xyz', 'token 0123456789abcdef0123'],
    miss: ['Bearer short', 'the bearer of bad news'],
  },
  'password-pair': {
    match: ['password=hunter22', 'db_password: "s3cr3t!"', 'api_key=abc123def', 'requirepass foo'.replace(' ', '=')],
    miss: [
      'password reset link sent',
      'password=',
      'no secrets here',
      "Access denied for user 'root'@'127.0.0.1' (using password: NO)",
      '(using password: YES)',
      'token: true',
    ],
  },
  'url-credentials': {
    match: ['postgres://app:Sup3rS3cret@db.internal.example:5432/app', 'https://user:pw123@host.example/'],
    miss: ['https://host.example/path', 'mailto:someone@example.org'],
  },
  email: { match: ['alice@mail.example', 'contact: bob.smith+x@corp.example.org'], miss: ['alice@', '@mail.example', 'not an email'] },
};

describe('secret patterns', () => {
  it('every pattern has true and false cases here', () => {
    expect(Object.keys(cases).sort()).toEqual(secretPatterns.map((p) => p.id).sort());
  });

  const rows = secretPatterns.flatMap((p) => [
    ...cases[p.id]!.match.map((s) => [p.id, 'matches', s] as const),
    ...cases[p.id]!.miss.map((s) => [p.id, 'misses', s] as const),
  ]);
  it.each(rows)('%s %s %j', (id, verdict, sample) => {
    const hits: SecretHit[] = [];
    redactText(sample, hits);
    const found = hits.some((h) => h.pattern === id);
    expect(found).toBe(verdict === 'matches');
  });

  it('redaction keeps no matched secret, only a fingerprint', () => {
    const key = 'sk-FAKEfakeFAKEfakeFAKEfake0123456789';
    const out = redactText(`POST /v1/chat Authorization: Bearer ${key} password=hunter22`);
    expect(out).not.toContain(key);
    expect(out).not.toContain('hunter22');
    expect(out).toContain(`[REDACTED openai-key ${fingerprintSecret(key)}]`);
    expect(fingerprintSecret(key)).toMatch(/^sk-…6789#[0-9a-f]{8}$/);
  });

  it('redactDeep walks objects and arrays', () => {
    const out = redactDeep({ a: ['AKIAIOSFODNN7EXAMPLE'], b: { c: 'x password=hunter22' }, n: 3 });
    expect(JSON.stringify(out)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|hunter22/);
    expect(out.n).toBe(3);
  });

  it('redactDeep keeps a server-sent "__proto__" key as data, never as the copy\'s prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": "password=hunter22"}, "x": 1}') as Record<string, unknown>;
    const out = redactDeep(hostile);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
    expect(JSON.stringify(Object.getOwnPropertyDescriptor(out, '__proto__')?.value)).not.toContain('hunter22');
  });

  it('IP literals pass unredacted (the sweep fast path): no pattern can match their characters, a configured secret inside one still is', () => {
    // The fast path in redactText relies on every pattern needing a character outside [0-9A-Fa-f.:]; random
    // strings over exactly that alphabet (hex runs, colons, dots, up to 64 characters) must match none.
    const alphabet = '0123456789abcdefABCDEF.:';
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: 1 + rnd(64) }, () => alphabet[rnd(alphabet.length)]).join('');
      for (const p of secretPatterns) expect(new RegExp(p.pattern.source, p.pattern.flags).test(s), `${p.id} on ${s}`).toBe(false);
    }
    expect(redactText('127.8.3.4')).toBe('127.8.3.4');
    expect(redactText('fe80::1')).toBe('fe80::1');
    registerSecret('127.99.77');
    expect(redactText('127.99.77.5')).not.toContain('127.99.77');
  });

  it('registered literal secrets (from the environment or inventory) never print', () => {
    registerSecret('correct-horse-battery');
    expect(redactText('url=https://alerts.example/correct-horse-battery')).not.toContain('correct-horse-battery');
  });

  it('scanSecrets counts distinct values per pattern and keeps only fingerprints', () => {
    const k1 = 'sk-FAKEfakeFAKEfakeFAKEfake0000000001';
    const k2 = 'sk-FAKEfakeFAKEfakeFAKEfake0000000002';
    const res = scanSecrets([`a ${k1}`, `b ${k1}`, k2, 'bob@mail.example']);
    expect(res.map((r) => [r.pattern, r.count])).toEqual([
      ['openai-key', 2],
      ['email', 1],
    ]);
    expect(JSON.stringify(res)).not.toMatch(/0000000001|0000000002|bob@/);
  });
});
