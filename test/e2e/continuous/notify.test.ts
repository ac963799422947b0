import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postWebhook, resolveWebhook } from '../../../src/continuous/notify.js';
import { closedPort } from '../../support/fake-servers.js';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { cli, tempDir, type CliResult } from '../../support/continuous.js';

// Real open Redis on 127.0.0.220 (from the start) and 127.0.0.221 (opened later); the webhook receiver is a
// node:http server on 127.0.0.222.
interface Received {
  url: string;
  contentType: string | undefined;
  body: { text: string; blocks: Array<{ type: string; text?: { type: string; text: string } }> };
}

let receiver: http.Server;
let received: Received[] = [];
/** Status for each next request (then 200); 'hang' never answers. */
let plan: Array<number | 'hang'> = [];
let base = '';
const token = 'T0EXAMPLE/B0EXAMPLE/xoxSECRETt0ken42';
let webhook = '';
let a: ServerInstance;
let bPort = 0;
let inventory = '';
const dir = tempDir('notify');

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      const step = plan.shift() ?? 200;
      if (step === 'hang') return; // never answers: the client's deadline must end it
      res.statusCode = step;
      res.end(step === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.222', resolve));
  base = `http://127.0.0.222:${(receiver.address() as AddressInfo).port}`;
  webhook = `${base}/services/${token}`;
  a = await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.220' });
  bPort = await closedPort('127.0.0.221');
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.220',
      '    name: cache-a',
      `    services: {redis: [${a.ports.redis}]}`,
      '  - host: 127.0.0.221',
      '    name: cache-b',
      `    services: {redis: [${bPort}]}`,
      'defaults: {timeout: 2s, connectTimeout: 1s}',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await stopAll();
});

beforeEach(() => {
  received = [];
  plan = [];
});

const env = () => ({ ALERT_WEBHOOK: webhook });
const outputs: CliResult[] = [];
async function run(args: string[]): Promise<CliResult> {
  const r = await cli(args, { env: env() });
  outputs.push(r);
  return r;
}
const hosts = (r: Received) => r.body.blocks.map((b) => b.text?.text ?? '').join('\n');

describe('--notify: NEW findings to a webhook', () => {
  const state = path.join(dir, 'state.json');

  it('posts exactly the new findings, as Slack-compatible JSON', async () => {
    // First run: nothing in the state file yet, so cache-a is new.
    const r1 = await run([inventory, '--state', state, '--notify', '${ALERT_WEBHOOK}', '--out', path.join(dir, 'r1.json')]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toBe('');
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe(`/services/${token}`);
    expect(received[0]!.contentType).toMatch(/^application\/json/);
    expect(received[0]!.body.text).toBe(`exposure-audit: 1 new finding (1 critical) in ${inventory}`);
    expect(received[0]!.body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(hosts(received[0]!)).toContain(`127.0.0.220:${a.ports.redis}`);

    // Unchanged fleet: nothing new, nothing posted.
    received = [];
    await run([inventory, '--state', state, '--notify', '${ALERT_WEBHOOK}']);
    expect(received).toHaveLength(0);

    // cache-b opens: exactly one new finding is posted, and cache-a (known) is not.
    await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.221', ports: { redis: bPort } });
    const r3 = await run([inventory, '--state', state, '--notify', '${ALERT_WEBHOOK}', '--out', path.join(dir, 'r3.json')]);
    expect(r3.stderr).toBe('');
    expect(received).toHaveLength(1);
    expect(received[0]!.body.text).toBe(`exposure-audit: 1 new finding (1 critical) in ${inventory}`);
    expect(hosts(received[0]!)).toContain(`127.0.0.221:${bPort}`);
    expect(hosts(received[0]!)).not.toContain('127.0.0.220');
  });

  it('--notify-resolved also posts what was fixed', async () => {
    const s = path.join(dir, 'state-resolved.json');
    const baseline = path.join(dir, 'with-a.json');
    await run([inventory, '--state', s, '--format', 'json', '--out', baseline]);
    await a.stop();
    received = [];
    const r = await run([inventory, '--baseline', baseline, '--no-state', '--notify', '${ALERT_WEBHOOK}', '--notify-resolved']);
    expect(r.stderr).toBe('');
    expect(received).toHaveLength(1);
    expect(received[0]!.body.text).toBe(`exposure-audit: 1 resolved in ${inventory}`);
    expect(hosts(received[0]!)).toMatch(
      /\*Resolved\*\n• critical +cache-a 127\.0\.0\.220:\d+ redis: Redis readable without authentication/,
    );
  });

  it('retries on HTTP 500, then succeeds', async () => {
    plan = [500];
    const r = await run([inventory, '--state', path.join(dir, 'fresh-1.json'), '--notify', '${ALERT_WEBHOOK}']);
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toEqual(received[0]!.body);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the findings decide, as without --notify
  });

  it('gives up after 3 attempts: exit 2, one line naming only "the webhook", state not advanced', async () => {
    plan = [500, 502, 503, 500];
    const s = path.join(dir, 'fresh-2.json');
    const t0 = Date.now();
    const r = await run([inventory, '--state', s, '--notify', '${ALERT_WEBHOOK}']);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(received).toHaveLength(3);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'exposure-audit: EA_OUTPUT: could not notify the webhook after 3 attempts: the webhook answered HTTP 503; the state file was not updated, so the next run alerts again\n',
    );
    expect(existsSync(s)).toBe(false);
    // A 4xx is final: no retry.
    received = [];
    plan = [404];
    const r404 = await run([inventory, '--state', s, '--notify', '${ALERT_WEBHOOK}']);
    expect([received.length, r404.code]).toEqual([1, 2]);
    expect(r404.stderr).toMatch(/after 1 attempt: the webhook answered HTTP 404/);
  });

  it('usage errors: no comparison point, unset variable, not a URL — before any probe', async () => {
    const noState = await run([inventory, '--no-state', '--notify', '${ALERT_WEBHOOK}']);
    expect([noState.code, noState.stderr]).toEqual([
      2,
      'exposure-audit: EA_USAGE: --notify needs something to compare with: --baseline REPORT.json, or the state file (drop --no-state)\n',
    ]);
    const unset = await cli([inventory, '--no-state', '--baseline', path.join(dir, 'r1.json'), '--notify', '${NOPE_HOOK}'], { env: {} });
    expect(unset.stderr).toBe('exposure-audit: EA_USAGE: --notify: environment variable NOPE_HOOK (the webhook) is not set or empty\n');
    const bad = await cli([inventory, '--no-state', '--baseline', path.join(dir, 'r1.json'), '--notify', '${ALERT_WEBHOOK}'], {
      env: { ALERT_WEBHOOK: 'ftp://127.0.0.222/x/secretpath' },
    });
    expect(bad.stderr).toBe('exposure-audit: EA_USAGE: --notify: the webhook must be an http(s) URL\n');
    expect((await run([inventory, '--notify-resolved'])).stderr).toMatch(/--notify-resolved needs --notify/);
    expect(received).toHaveLength(0);
  });

  it('the URL never appears in stdout, stderr, reports or the state file', async () => {
    // Literal URL on the command line too (not recommended, but it must not leak either).
    plan = [500, 500, 500];
    outputs.push(
      await cli(
        [
          inventory,
          '--state',
          path.join(dir, 'fresh-3.json'),
          '--notify',
          webhook,
          '--out',
          path.join(dir, 'literal.json'),
          '--out',
          path.join(dir, 'literal.md'),
        ],
        { env: {} },
      ),
    );
    outputs.push(await cli([inventory, '--no-state', '--notify', webhook, '--timeout', 'x'], { env: {} }));
    const files = readdirSync(dir).filter((f) => /\.(json|md|txt)$/.test(f));
    expect(files.length).toBeGreaterThan(3);
    const everything = [...outputs.flatMap((o) => [o.stdout, o.stderr]), ...files.map((f) => readFileSync(path.join(dir, f), 'utf8'))].join(
      '\n',
    );
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('xoxSECRETt0ken42');
    expect(everything).not.toContain(webhook);
  });
});

describe('postWebhook (bounded)', () => {
  it('a receiver that never answers costs attempts × deadline, then gives up', async () => {
    plan = ['hang', 'hang', 'hang'];
    const t0 = Date.now();
    const result = await postWebhook(`${base}/hang`, { text: 'x' }, { attempts: 3, backoffMs: [20, 40], timeoutMs: 200 });
    const elapsed = Date.now() - t0;
    expect(result).toEqual({ ok: false, attempts: 3, problem: 'the webhook could not be reached (no answer within 200 ms)' });
    expect(received).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('nothing listening: bounded too', async () => {
    const port = await closedPort('127.0.0.223');
    const result = await postWebhook(`http://127.0.0.223:${port}/x`, {}, { attempts: 2, backoffMs: [10], timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, attempts: 2, problem: 'the webhook could not be reached (ECONNREFUSED)' });
  });

  it('resolveWebhook reads ${VAR} from the environment', () => {
    expect(resolveWebhook('${HOOK}', { HOOK: 'http://127.0.0.222:1/a/b/c/d' })).toBe('http://127.0.0.222:1/a/b/c/d');
    expect(resolveWebhook('http://127.0.0.222:1/p', {})).toBe('http://127.0.0.222:1/p');
  });
});
