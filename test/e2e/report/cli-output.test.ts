// Output selection through the CLI: --format for stdout, repeatable --out with the format from the extension,
// every file written atomically, and the progress bar hookup. The only target is a closed port on loopback.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatForFile, formats, render } from '../../../src/cli/formats.js';
import { cli } from '../../support/cli.js';
import type { ProgressStream } from '../../../src/cli/progress.js';
import { isEaError } from '../../../src/errors.js';
import { parseReport } from '../../../src/report/compact.js';
import { closedPort } from '../../support/fake-servers.js';
import { sampleReport } from '../../fixtures/sample-run.js';

describe('format selection', () => {
  it('maps every --out extension, case-insensitively', () => {
    expect(formatForFile('r.json')).toBe('json');
    expect(formatForFile('r.sarif')).toBe('sarif');
    expect(formatForFile('r.md')).toBe('markdown');
    expect(formatForFile('r.html')).toBe('html');
    expect(formatForFile('r.xml')).toBe('junit');
    expect(formatForFile('r.txt')).toBe('table');
    expect(formatForFile('dir/R.SARIF')).toBe('sarif');
  });

  it('refuses an unknown extension with a usage error that lists the known ones', () => {
    try {
      formatForFile('r.pdf');
      expect.unreachable();
    } catch (err) {
      expect(isEaError(err) && err.code).toBe('EA_USAGE');
      expect((err as Error).message).toContain('.sarif, .md, .html, .xml');
    }
  });

  it('renders every format', () => {
    const report = sampleReport();
    expect(formats).toEqual(['table', 'json', 'sarif', 'markdown', 'html', 'junit', 'metrics']);
    expect(JSON.parse(render(report, 'json', false)).schemaVersion).toBe(report.schemaVersion);
    expect(JSON.parse(render(report, 'sarif', false)).version).toBe('2.1.0');
    expect(render(report, 'markdown', false)).toMatch(/^## exposure-audit: /);
    expect(render(report, 'html', false)).toMatch(/^<!doctype html>/);
    expect(render(report, 'junit', false)).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(render(report, 'table', false)).toContain('10 endpoints');
  });
});

describe('exposure-audit scan: outputs and progress', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ea-out-'));
  let inventory = '';

  beforeAll(async () => {
    const port = await closedPort('127.0.0.151');
    inventory = path.join(dir, 'targets.yaml');
    writeFileSync(
      inventory,
      [
        'targets:',
        '  - host: 127.0.0.151',
        `    services: {redis: [${port}]}`,
        'defaults: {timeout: 800ms, connectTimeout: 500ms}',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each --out in the format its extension names, atomically, and --format picks stdout', async () => {
    const outs = ['r.json', 'r.sarif', 'r.md', 'r.html', 'r.xml', 'r.txt'].map((f) => path.join(dir, f));
    const { code, stdout, stderr } = await cli(['scan', inventory, '--format', 'sarif', ...outs.flatMap((o) => ['--out', o])]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).runs[0].tool.driver.name).toBe('exposure-audit');
    const report = parseReport(JSON.parse(readFileSync(outs[0]!, 'utf8')));
    expect(report.summary.byStatus.closed).toBe(1);
    expect(JSON.parse(readFileSync(outs[1]!, 'utf8')).runs[0].invocations[0].toolExecutionNotifications).toHaveLength(1);
    // A closed port was tested (no service): no "not tested" banner anywhere, JUnit passes it.
    expect(readFileSync(outs[2]!, 'utf8')).not.toContain('was not tested**');
    expect(readFileSync(outs[2]!, 'utf8')).toContain('| **not tested** | **0** |');
    expect(readFileSync(outs[3]!, 'utf8')).toContain('data-testid="summary-not-tested">0<');
    expect(readFileSync(outs[4]!, 'utf8')).not.toContain('<skipped');
    expect(readFileSync(outs[5]!, 'utf8')).toContain('1 endpoint: 1 closed');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects an --out whose format it cannot tell, before probing', async () => {
    const { code, stderr } = await cli(['scan', inventory, '--out', path.join(dir, 'r.pdf')]);
    expect(code).toBe(2);
    expect(stderr).toContain('EA_USAGE');
  });

  const tty = (isTTY: boolean): ProgressStream & { chunks: string[] } => {
    const chunks: string[] = [];
    return { isTTY, columns: 100, chunks, write: (s: string) => chunks.push(s) };
  };

  it('draws the progress bar on a terminal stderr, and erases it before the report', async () => {
    const bar = tty(true);
    const { code, stdout } = await cli(['scan', inventory, '--format', 'json'], { progressStream: bar });
    expect(code).toBe(0);
    expect(bar.chunks.join('')).toContain('1/1 endpoints · 0 exposed');
    expect(bar.chunks.at(-1)).toBe('\r\x1b[2K');
    expect(stdout).not.toContain('\x1b');
  });

  it('stays silent when stderr is not a terminal, with --quiet, and with --no-progress', async () => {
    for (const [stream, extra] of [
      [tty(false), []],
      [tty(true), ['--quiet']],
      [tty(true), ['--no-progress']],
    ] as const) {
      const { code } = await cli(['scan', inventory, ...extra], { progressStream: stream });
      expect(code).toBe(0);
      expect(stream.chunks).toEqual([]);
    }
  });
});
