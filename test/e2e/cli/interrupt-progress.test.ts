import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';
import { closedPort, startRaw, type FakeServer } from '../../support/fake-servers.js';

/**
 * Ctrl-C seen from a terminal (in process, the signal an AbortController): a tarpit on 127.0.0.187 holds the run
 * open while a /20 of closed ports on 127.8.0.0–127.8.15.255, connected at 200 a second (--rate), moves the
 * progress bar. At the interrupt the bar is erased and
 * never drawn again, one line says what happens now, and the endpoints never started are not rows of the table.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ea-interrupt-tty-'));
let tarpit: FakeServer;
let inventory = '';

beforeAll(async () => {
  tarpit = await startRaw('127.0.0.187', { kind: 'silent' });
  const closed = await closedPort('127.8.0.1');
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.187',
      `    services: {redis: [${tarpit.port}]}`,
      '  - host: 127.8.0.0/20',
      `    services: {redis: [${closed}]}`,
      'defaults: {timeout: 20s}',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await tarpit.close();
  rmSync(dir, { recursive: true, force: true });
});

it('stops the progress bar, prints one line, lists no never-started endpoint', async () => {
  const events: string[] = [];
  const controller = new AbortController();
  const progressStream = {
    isTTY: true,
    columns: 100,
    write(chunk: string) {
      events.push(`bar:${chunk}`);
      return true;
    },
  };
  let drawn = 0;
  const interruptOnceDrawn = setInterval(() => {
    drawn = events.filter((e) => e.startsWith('bar:') && e.includes('endpoints')).length;
    if (drawn > 0 && (tarpit.connections?.() ?? 0) > 0) controller.abort();
  }, 5);
  const r = await cli([inventory, '--no-state', '--rate', '200'], {
    signal: controller.signal,
    progressStream,
    stderr: (s) => events.push(`err:${s}`),
  }).finally(() => clearInterval(interruptOnceDrawn));
  expect(controller.signal.aborted, 'interrupted while the bar was drawn').toBe(true);
  expect(r.code).toBe(130);
  const at = events.findIndex((e) => e.startsWith('err:interrupted:'));
  expect(events[at]).toMatch(/^err:interrupted: writing the report of \d+ tested endpoints?; press Ctrl-C again to quit now\n$/);
  expect(events.filter((e) => e.startsWith('err:interrupted:'))).toHaveLength(1);
  // The bar was erased right before the line and never drawn after it.
  expect(events[at - 1]).toBe('bar:\r\x1b[2K');
  expect(events.slice(at + 1).filter((e) => e.startsWith('bar:'))).toEqual([]);
  expect(r.stdout).toMatch(/INCOMPLETE: the run was interrupted; \d+ endpoints? never started \(not listed\)/);
  expect(r.stdout).not.toMatch(/interrupted\s*$/m);
});
