import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../../src/cli/main.js';
import { cli as runCli } from '../../support/cli.js';

/**
 * Malformed inventories through the real CLI entry (`main(argv, io)`): each must exit 2, print one
 * `file:line:column: message` line per problem on stderr (no stack trace, no "internal error"), and write no report.
 * Every host is a loopback literal in 127.0.0.150–199 or a name the injected resolver answers, so even an
 * inventory the CLI wrongly accepted could only ever touch this test's own loopback range; names never reach DNS.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ea-bad-inv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const resolver: CliIo['resolver'] = async (name) => {
  if (/^db\.example\.com$/i.test(name)) return ['127.0.0.190'];
  if (name === 'empty.example.com') return [];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

const cli = (args: string[]) => runCli(args, { resolver });

function aliasBomb(): string {
  // "Billion laughs": 9 levels of 10 aliases each = 10^9 strings once expanded.
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 8; i++)
    lines.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('targets:', '  - host: 127.0.0.150', '    labels: {x: *l8}');
  return `${lines.join('\n')}\n`;
}

const t = (body: string) => `targets:\n${body}`;
const SPECIAL = { dir: Symbol('a directory'), missing: Symbol('a missing file'), devZero: Symbol('/dev/zero') } as const;
type Input = string | Buffer | (typeof SPECIAL)[keyof typeof SPECIAL];
interface Case {
  name: string;
  input: Input;
  /** One pattern per expected stderr line, for the message after `file:line:column: `. */
  expect: RegExp[];
  args?: string[];
  /** Expected position of the first problem. */
  at?: [number, number];
}

const cases: Case[] = [
  // --- files ---
  { name: 'empty file', input: '', expect: [/the file is empty/], at: [1, 1] },
  { name: 'whitespace only', input: ' \n\t\n   \r\n', expect: [/the file is empty/] },
  { name: 'only a comment', input: '# nothing here\n', expect: [/expected a mapping with a `targets:` list/] },
  {
    name: 'binary file (NUL bytes)',
    input: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff]),
    expect: [/not a text file/],
  },
  {
    name: 'non-UTF-8 text (Latin-1)',
    input: Buffer.from('targets:\n  - host: 127.0.0.150\n    name: caf\xe9\n', 'latin1'),
    expect: [/not a text file/],
  },
  { name: 'UTF-16 with BOM', input: Buffer.from('\ufefftargets: []\n', 'utf16le'), expect: [/not a text file/] },
  {
    name: 'a 5 MB file',
    input: `targets:\n  - host: 127.0.0.150\n${'# padding padding padding padding padding padding padding padding\n'.repeat(80_000)}`,
    expect: [/larger than 4 MiB/],
    at: [1, 1],
  },
  { name: 'a directory', input: SPECIAL.dir, expect: [/is a directory/], at: [1, 1] },
  { name: 'a missing file', input: SPECIAL.missing, expect: [/no such file/], at: [1, 1] },
  // A device is refused by fstat before a byte is read (issue 16: regular files only).
  { name: 'an endless device (/dev/zero)', input: SPECIAL.devZero, expect: [/is a character device, not a regular file/] },
  // --- YAML syntax ---
  { name: 'unclosed flow sequence', input: t('  - host: [127.0.0.150\n'), expect: [/^YAML: /] },
  { name: 'unclosed quote', input: t('  - host: "127.0.0.150\n'), expect: [/^YAML: /] },
  { name: 'tab indentation', input: t('\t- host: 127.0.0.150\n'), expect: [/^YAML: Tabs are not allowed/], at: [2, 1] },
  { name: 'bad indentation', input: t('  - host: 127.0.0.150\n   name: x\n'), expect: [/^YAML: /] },
  { name: 'two YAML documents', input: 'targets: []\n---\ntargets: []\n', expect: [/^YAML: .*multiple documents/] },
  { name: 'undefined alias', input: 'targets: *nope\n', expect: [/^YAML: /] },
  {
    name: 'duplicate YAML key in a target',
    input: t('  - host: 127.0.0.150\n    host: 127.0.0.151\n'),
    expect: [/^YAML: Map keys must be unique/],
    at: [3, 5],
  },
  {
    name: 'duplicate top-level key',
    input: 'targets:\n  - host: 127.0.0.150\ntargets:\n  - host: 127.0.0.151\n',
    expect: [/^YAML: Map keys must be unique/],
    at: [3, 1],
  },
  {
    name: 'duplicate key, differently quoted',
    input: t('  - host: 127.0.0.150\n    "host": 127.0.0.151\n'),
    expect: [/^YAML: Map keys must be unique/],
  },
  { name: 'alias bomb (billion laughs)', input: aliasBomb(), expect: [/^YAML: .*(alias|resource exhaustion)/i] },
  { name: 'deeply nested flow collections', input: `targets: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, expect: [/^YAML: /] },
  // --- wrong types ---
  { name: 'top level is a list', input: '- host: 127.0.0.150\n', expect: [/expected a mapping with a `targets:` list/] },
  { name: 'top level is a scalar', input: 'hello\n', expect: [/expected a mapping with a `targets:` list/] },
  { name: 'no targets key', input: 'defaults: {timeout: 3s}\n', expect: [/^targets: required/] },
  { name: 'targets is null', input: 'targets:\n', expect: [/^targets: /] },
  { name: 'targets is a string', input: 'targets: 127.0.0.150\n', expect: [/^targets: targets must be a list/] },
  { name: 'targets is a map', input: 'targets: {host: 127.0.0.150}\n', expect: [/^targets: targets must be a list/] },
  { name: 'targets is empty', input: 'targets: []\n', expect: [/^targets: targets is empty/] },
  { name: 'a target is a scalar', input: t('  - 127.0.0.150\n'), expect: [/^targets\.0: /], at: [2, 5] },
  { name: 'host is a number', input: t('  - host: 127\n'), expect: [/^targets\.0\.host: /], at: [2, 11] },
  {
    name: 'services is a list',
    input: t('  - host: 127.0.0.150\n    services: [redis]\n'),
    expect: [/^targets\.0\.services: /],
    at: [3, 15],
  },
  {
    name: 'ports are not a list',
    input: t('  - host: 127.0.0.150\n    services: {redis: 6379}\n'),
    expect: [/^targets\.0\.services\.redis: /],
  },
  { name: 'labels is a list', input: t('  - host: 127.0.0.150\n    labels: [a, b]\n'), expect: [/^targets\.0\.labels: /], at: [3, 13] },
  {
    name: 'a label value is a map',
    input: t('  - host: 127.0.0.150\n    labels: {owner: {team: x}}\n'),
    expect: [/^targets\.0\.labels\.owner: /],
  },
  { name: 'name is a list', input: t('  - host: 127.0.0.150\n    name: [a]\n'), expect: [/^targets\.0\.name: /] },
  {
    name: 'unknown expect',
    input: t('  - host: 127.0.0.150\n    expect: open\n'),
    expect: [/^targets\.0\.expect: expected one of exposed, auth-required, closed/],
  },
  { name: 'defaults is a list', input: t('  - host: 127.0.0.150\ndefaults: [1]\n'), expect: [/^defaults: /] },
  {
    name: 'defaults.timeout is not a duration',
    input: t('  - host: 127.0.0.150\ndefaults: {timeout: soon}\n'),
    expect: [/^defaults\.timeout: expected a duration/],
    at: [3, 21],
  },
  {
    name: 'defaults.concurrency is 0',
    input: t('  - host: 127.0.0.150\ndefaults: {concurrency: 0}\n'),
    expect: [/^defaults\.concurrency: /],
  },
  {
    name: 'defaults.maxBytes below the floor',
    input: t('  - host: 127.0.0.150\ndefaults: {maxBytes: 10}\n'),
    expect: [/^defaults\.maxBytes: /],
  },
  // --- unknown keys at each level ---
  { name: 'unknown top-level key', input: t('  - host: 127.0.0.150\ntargest: []\n'), expect: [/^unknown key "targest"/], at: [3, 1] },
  {
    name: 'unknown target key',
    input: t('  - host: 127.0.0.150\n    prots: [1]\n'),
    expect: [/^targets\.0: unknown key "prots"/],
    at: [3, 5],
  },
  {
    name: 'unknown defaults key',
    input: t('  - host: 127.0.0.150\ndefaults: {timout: 3s}\n'),
    expect: [/^defaults: unknown key "timout"/],
    at: [3, 12],
  },
  {
    name: 'unknown service (a key under services)',
    input: t('  - host: 127.0.0.150\n    services:\n      mongo: []\n'),
    expect: [/^targets\.0\.services\.mongo: unknown service "mongo"/],
    at: [4, 7],
  },
  // --- ports ---
  ...(
    [
      ['0', /ports run from 1 to 65535/],
      ['65536', /ports run from 1 to 65535/],
      ['-1', /ports run from 1 to 65535/],
      ['1.5', /whole number/],
      ['"80"', /expected a port number/],
      ['abc', /expected a port number/],
      ['null', /expected a port number/],
      ['.inf', /./],
    ] as const
  ).map(([port, msg]): Case => ({
    name: `port ${port}`,
    input: t(`  - host: 127.0.0.150\n    services: {redis: [6379, ${port}]}\n`),
    expect: [new RegExp(`^targets\\.0\\.services\\.redis\\.1: .*${msg.source}`)],
    at: [3, 30],
  })),
  // --- hosts ---
  { name: 'missing host', input: t('  - name: x\n'), expect: [/^targets\.0\.host: required/] },
  { name: 'empty host', input: t('  - host: ""\n'), expect: [/^targets\.0\.host: "" is not an IP address, host name or CIDR/] },
  { name: 'host with a scheme', input: t('  - host: http://127.0.0.150\n'), expect: [/is not an IP address, host name or CIDR/] },
  { name: 'host with a port', input: t('  - host: 127.0.0.150:6379\n'), expect: [/is not an IP address, host name or CIDR/] },
  { name: 'bad IPv4', input: t('  - host: 127.0.0.256\n'), expect: [/is not an IP address, host name or CIDR/], at: [2, 11] },
  { name: 'bad CIDR prefix', input: t('  - host: 127.0.0.0/33\n'), expect: [/is not an IP address, host name or CIDR/], at: [2, 11] },
  { name: 'bad CIDR syntax', input: t('  - host: 127.0.0.0/8x\n'), expect: [/is not an IP address, host name or CIDR/] },
  {
    name: 'huge CIDR (over the default cap)',
    input: t('  - host: 127.0.0.0/8\n'),
    expect: [/127\.0\.0\.0\/8 is 16777216 addresses, over the cap of 65536/],
    at: [2, 11],
  },
  {
    name: 'CIDR over a lowered --max-cidr-addresses',
    input: t('  - host: 127.0.0.152/29\n'),
    args: ['--max-cidr-addresses', '4'],
    expect: [/is 8 addresses, over the cap of 4/],
  },
  {
    name: 'CIDR over a lowered defaults.maxCidrAddresses',
    input: t('  - host: 127.0.0.152/29\ndefaults: {maxCidrAddresses: 4}\n'),
    expect: [/is 8 addresses, over the cap of 4/],
  },
  // --- duplicates ---
  {
    name: 'duplicate target',
    input: t('  - host: 127.0.0.150\n  - host: 127.0.0.150\n'),
    expect: [/^duplicate target: 127\.0\.0\.150 is already declared at line 2/],
    at: [3, 11],
  },
  {
    name: 'duplicate name in different case',
    input: t('  - host: db.example.com\n  - host: DB.Example.COM\n'),
    expect: [/^duplicate target: DB\.Example\.COM is already declared at line 2/],
    at: [3, 11],
  },
  {
    name: 'duplicate name with a trailing dot',
    input: t('  - host: db.example.com\n  - host: db.example.com.\n'),
    expect: [/^duplicate target/],
  },
  {
    name: 'duplicate IPv6 in two spellings',
    input: t('  - host: "::1"\n  - host: "0:0:0:0:0:0:0:1"\n'),
    expect: [/^duplicate target: 0:0:0:0:0:0:0:1 is already declared at line 2/],
  },
  {
    name: 'duplicate as an IPv4-mapped IPv6 address',
    input: t('  - host: 127.0.0.150\n  - host: "::ffff:127.0.0.150"\n'),
    expect: [/^duplicate target/],
  },
  { name: 'duplicate CIDR in two spellings', input: t('  - host: "::1/128"\n  - host: "0::1/128"\n'), expect: [/^duplicate target/] },
  // --- names ---
  // --strict: fail fast on a name (without it the target is reported error / EA_DNS and the rest audited).
  {
    name: 'unresolvable host',
    input: t('  - host: nowhere.invalid\n'),
    args: ['--strict'],
    expect: [/^nowhere\.invalid did not resolve \(ENOTFOUND\)/],
    at: [2, 11],
  },
  {
    name: 'a name with no addresses',
    input: t('  - host: empty.example.com\n'),
    args: ['--strict'],
    expect: [/^empty\.example\.com did not resolve/],
  },
  {
    name: 'a name that is not a host name',
    input: t('  - host: "db_1!.example.com"\n'),
    expect: [/is not an IP address, host name or CIDR/],
  },
  // --- several problems: one line each ---
  {
    name: 'several problems in one file',
    input: t('  - host: 127.0.0.150\n    services: {redis: [0]}\n  - hots: 127.0.0.151\n  - host: 127.0.0.0/33\n'),
    expect: [/ports run from 1 to 65535/, /unknown key "hots"|required/, /./, /./],
  },
];

describe('bad inventories through the CLI: exit 2, one located line per problem, nothing written', () => {
  it('covers at least 30 malformed inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    let file: string;
    if (c.input === SPECIAL.dir) {
      file = path.join(dir, `case-${i}.d`);
      mkdirSync(file);
    } else if (c.input === SPECIAL.missing) file = path.join(dir, `case-${i}-missing.yaml`);
    else if (c.input === SPECIAL.devZero) file = '/dev/zero';
    else {
      file = path.join(dir, `case-${i}.yaml`);
      writeFileSync(file, c.input as string | Buffer);
    }
    const out = path.join(dir, `case-${i}.report.json`);
    const r = await cli([file, '--format', 'json', '--out', out, '--timeout', '200ms', '--connect-timeout', '100ms', ...(c.args ?? [])]);

    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at |Error:/);
    expect(r.stderr.endsWith('\n')).toBe(true);
    const lines = r.stderr.slice(0, -1).split('\n');
    const deep = c.name === 'deeply nested flow collections';
    // A nesting bomb may be reported at more than one place; everything else is exactly one line per problem.
    if (deep) expect(lines.length).toBeGreaterThanOrEqual(1);
    else expect(lines, r.stderr).toHaveLength(c.expect.length);
    for (const [j, line] of lines.entries()) {
      expect(line).toMatch(/^[^:]+:\d+:\d+: /);
      expect(line.startsWith(`${file}:`)).toBe(true);
      const message = line.replace(/^[^:]+:\d+:\d+: /, '');
      expect(message).toMatch(c.expect[Math.min(j, c.expect.length - 1)]!);
    }
    if (c.at) expect(lines[0]!.slice(file.length + 1)).toMatch(new RegExp(`^${c.at[0]}:${c.at[1]}: `));
    // Refused up front, never after probing: no report is written (above), and the case ends within the test's
    // own timeout (/dev/zero included). No wall-clock bound here: on a loaded runner parsing alone took 8 s.
  });

  it('validate refuses the same inventories with the same lines', async () => {
    const file = path.join(dir, 'validate.yaml');
    writeFileSync(file, t('  - host: 127.0.0.150\n    services: {redis: [65536]}\n  - host: 127.0.0.150\n'));
    let stderr = '';
    const code = await main(['validate', file], { stdout: () => undefined, stderr: (s) => (stderr += s), isTty: false, env: {}, resolver });
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(`${file}:3:24: targets.0.services.redis.0: ports run from 1 to 65535`);
  });
});
