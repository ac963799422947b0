// The HTML report in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; never a
// downloaded browser), loaded from a file: URL. Every request the page makes is recorded and anything but
// file:/data: is aborted and counted: the count must be zero.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOf, diffSummary } from '../../../src/report/change-view.js';
import { escapeHtml, renderHtml } from '../../../src/report/html.js';
import { severities, statuses } from '../../../src/types.js';
import { continuousReport, hostile, hostileReason, sampleReport } from '../../fixtures/sample-run.js';

const executablePath = '/usr/bin/chromium';
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--disable-domain-reliability',
];

const report = sampleReport({ complete: false });
const html = renderHtml(report);
const cont = continuousReport();
const contHtml = renderHtml(cont);

describe('HTML rendering (no browser)', () => {
  it('is one self-contained file: no external reference of any kind', () => {
    expect(html).not.toMatch(/\b(src|href|action|poster|srcset)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    expect(html).toContain('default-src &#39;none&#39;');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
  });

  it('escapes every piece of server output', () => {
    expect(html).not.toContain(hostile.script);
    expect(html).not.toContain(hostile.img);
    expect(html).toContain(escapeHtml(hostile.script));
    expect(escapeHtml(`<a b="c" d='e'>&\u0000`)).toBe('&lt;a b=&quot;c&quot; d=&#39;e&#39;&gt;&amp;\\x00');
  });

  it('escapes suppression text from the inventory too, and stays self-contained with the continuous sections', () => {
    expect(contHtml).not.toContain(hostileReason);
    expect(contHtml).toContain(escapeHtml(hostileReason));
    expect(contHtml).not.toMatch(/\b(src|href|action|poster|srcset)\s*=\s*["']?(https?:|\/\/)/i);
    expect(contHtml.match(/<script\b/g)).toHaveLength(1);
  });

  it('shows no continuous section, card or filter for a run without baseline or suppressions', () => {
    for (const id of [
      'summary-new',
      'summary-resolved',
      'summary-suppressed',
      'change-badge',
      'resolved',
      'stale',
      'filter-change',
      'age',
    ]) {
      expect(html, id).not.toContain(`data-testid="${id}"`);
    }
  });
});

describe.skipIf(!existsSync(executablePath))('HTML report in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  let page2: Page;
  const requests: string[] = [];
  const blocked: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ea-html-'));
    const file = path.join(dir, 'report.html');
    writeFileSync(file, html);
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath,
      headless: true,
      args: launchArgs,
      viewport: { width: 1280, height: 900 },
      offline: true,
      serviceWorkers: 'block',
    });
    context.on('request', (r) => void requests.push(r.url()));
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => void problems.push(`page error: ${err.message}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = async (testid: string) => (await page.getByTestId(testid).first().textContent())?.trim();
  const visibleFindings = async () => page.locator('[data-testid="finding"]:visible').count();

  it('renders, with the script running under its CSP and no console error', async () => {
    expect(await page.title()).toContain('exposure-audit');
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid="finding"]').length)).toBe(report.findings.length);
    // The filter script ran (the hash in the CSP matches): it wrote the visible count itself.
    expect(await text('findings-visible')).toBe(String(report.findings.length));
    expect(problems).toEqual([]);
  });

  it('shows the same numbers as the JSON summary', async () => {
    expect(await text('summary-endpoints')).toBe(String(report.summary.endpoints));
    expect(await text('summary-findings')).toBe(String(report.summary.findings));
    expect(await text('summary-not-tested')).toBe(String(report.summary.notTested));
    expect(await text('summary-exposed')).toBe(String(report.summary.byStatus.exposed));
    for (const s of severities) {
      expect(await text(`count-severity-${s}`), s).toBe(String(report.summary.bySeverity[s]));
      expect(await text(`chart-${s}`), s).toBe(String(report.summary.bySeverity[s]));
    }
    for (const s of statuses) expect(await text(`count-status-${s}`), s).toBe(String(report.summary.byStatus[s]));
    expect(await page.getByTestId('incomplete').isVisible()).toBe(true);
    // The chart's bars: one per severity with findings, none for an empty one.
    for (const s of severities) {
      const w = Number(await page.getByTestId(`bar-${s}`).getAttribute('width'));
      expect(w > 0, s).toBe(report.summary.bySeverity[s] > 0);
    }
  });

  it('keeps hostile evidence inert and visible as text', async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('img, iframe, object, embed, link, base, form').length)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(1);
    expect(await page.evaluate(() => document.querySelectorAll('i').length)).toBe(0);
    const sample = await page.getByTestId('sample').first().textContent();
    expect(sample).toContain('2 × sk- API keys');
    expect(sample).toContain('<i>…#00</i>');
    const reply = await page.locator('[data-testid="reply"]').first().textContent();
    expect(reply).toContain(hostile.script);
    expect(reply).toContain(hostile.img);
  });

  it('filters findings by severity, service and text', async () => {
    for (const s of severities) if (s !== 'critical') await page.getByTestId(`filter-severity-${s}`).uncheck();
    expect(await text('findings-visible')).toBe(String(report.summary.bySeverity.critical));
    expect(await visibleFindings()).toBe(report.summary.bySeverity.critical);
    expect(await page.locator('[data-testid="finding"]:visible').first().getAttribute('data-severity')).toBe('critical');
    for (const s of severities) await page.getByTestId(`filter-severity-${s}`).check();
    expect(await visibleFindings()).toBe(report.findings.length);

    await page.getByTestId('filter-service').selectOption('redis');
    const redis = report.findings.filter((f) => f.service === 'redis').length;
    expect(await text('findings-visible')).toBe(String(redis));
    expect(await visibleFindings()).toBe(redis);
    await page.getByTestId('filter-service').selectOption('');

    const target = report.findings[2]!;
    await page.getByTestId('filter-text').fill(target.fingerprint);
    expect(await visibleFindings()).toBe(1);
    expect(await page.locator('[data-testid="finding"]:visible').getAttribute('data-fingerprint')).toBe(target.fingerprint);
    await page.getByTestId('filter-text').fill('no such thing anywhere');
    expect(await text('findings-visible')).toBe('0');
    expect(await page.locator('#f-none').isVisible()).toBe(true);
    await page.getByTestId('filter-text').fill('');
    expect(await visibleFindings()).toBe(report.findings.length);
  });

  it('shows only one severity when its chart bar is clicked', async () => {
    await page.locator('[data-only-severity="high"]').click();
    expect(await text('findings-visible')).toBe(String(report.summary.bySeverity.high));
    await page.locator('[data-only-severity="low"]').focus();
    await page.keyboard.press('Enter');
    expect(await text('findings-visible')).toBe(String(report.summary.bySeverity.low));
    for (const s of severities) await page.getByTestId(`filter-severity-${s}`).check();
  });

  it('sorts findings', async () => {
    const order = () => page.locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    expect(await order()).toEqual(report.findings.map((f) => f.severity));
    await page.getByTestId('sort-direction').selectOption('asc');
    expect(await order()).toEqual([...report.findings.map((f) => f.severity)].reverse());
    await page.getByTestId('sort-findings').selectOption('line');
    const lines = await page.locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    await page.getByTestId('sort-findings').selectOption('severity');
    await page.getByTestId('sort-direction').selectOption('desc');
  });

  it('filters and sorts endpoints by status', async () => {
    // Closed endpoints (tested, no service) are one row per host in their own table, not endpoint rows.
    const closed = report.summary.byStatus.closed;
    expect(closed).toBeGreaterThan(0);
    expect(await page.getByTestId('no-service-hosts').locator('tbody tr').count()).toBe(
      new Set(report.endpoints.filter((e) => e.status === 'closed').map((e) => e.host)).size,
    );
    for (const s of statuses) if (!['closed', 'timeout', 'error'].includes(s)) await page.getByTestId(`filter-status-${s}`).uncheck();
    expect(await text('endpoints-visible')).toBe(String(report.summary.notTested));
    expect(await page.locator('#endpoint-rows tr:visible').count()).toBe(report.summary.notTested);
    for (const s of statuses) await page.getByTestId(`filter-status-${s}`).check();
    expect(await page.locator('#endpoint-rows tr:visible').count()).toBe(report.summary.endpoints - closed);

    await page.locator('button.sort[data-key="status-order"]').click();
    const st = await page.locator('#endpoint-rows tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(st).toEqual(
      [...report.endpoints.filter((e) => e.status !== 'closed').map((e) => e.status)].sort(
        (a, b) => statuses.indexOf(a) - statuses.indexOf(b),
      ),
    );
    await page.locator('button.sort[data-key="status-order"]').click();
    const desc = await page.locator('#endpoint-rows tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(desc[0]).toBe('error');
  });

  describe('continuous auditing: baseline, suppressions, ages', () => {
    // A second tab for the continuous report, open only for these tests (a background tab is throttled).
    beforeAll(async () => {
      const file2 = path.join(dir, 'continuous.html');
      writeFileSync(file2, contHtml);
      page2 = await context.newPage();
      page2.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`continuous: console ${m.type()}: ${m.text()}`);
      });
      page2.on('pageerror', (err) => void problems.push(`continuous: page error: ${err.message}`));
      await page2.goto(pathToFileURL(file2).href, { waitUntil: 'load' });
    }, 60_000);

    afterAll(async () => {
      await page2?.close();
      await page.bringToFront();
    });

    const text2 = async (testid: string) => (await page2.getByTestId(testid).first().textContent())?.trim();
    const visible2 = async () => page2.locator('[data-testid="finding"]:visible').count();

    it.each([
      ['summary-new', () => cont.diff!.new],
      ['summary-resolved', () => cont.diff!.resolved.length],
      ['summary-suppressed', () => cont.summary.suppressed!],
      ['resolved-count', () => cont.diff!.resolved.length],
      ['not-retested-count', () => cont.diff!.notRetested.length],
      ['stale-count', () => cont.suppressions!.stale.length],
      ['summary-findings', () => cont.summary.findings],
      ['findings-visible', () => cont.findings.length],
    ] as const)('shows %s equal to the JSON', async (testid, n) => {
      expect(await text2(testid)).toBe(String(n()));
    });

    it('runs its script without console or CSP errors', () => {
      expect(problems).toEqual([]);
    });

    it('shows the diff summary, and per finding the badges, age and suppression of present.ts', async () => {
      expect(await text2('diff-summary')).toBe(diffSummary(cont));
      for (const f of cont.findings) {
        const v = changeOf(f);
        const card = page2.locator(`[data-testid="finding"][data-fingerprint="${f.fingerprint}"]`);
        expect(await card.getByTestId('change-badge').allTextContents(), f.host).toEqual(v.badges);
        expect((await card.getByTestId('age').textContent())?.trim(), f.host).toBe(v.since);
        if (v.suppression) expect(await card.getByTestId('suppression').textContent(), f.host).toContain(v.suppression);
        else expect(await card.getByTestId('suppression').count(), f.host).toBe(0);
      }
      // The model puts the expired suppression in the reason; the card says it once.
      const expired = cont.findings.find((f) => f.suppressionExpired)!;
      const card = page2.locator(`[data-testid="finding"][data-fingerprint="${expired.fingerprint}"]`);
      expect((await card.textContent())!.split(changeOf(expired).expired!)).toHaveLength(2);
    });

    it('dims suppressed findings, and only those', async () => {
      const opacity = await page2
        .locator('[data-testid="finding"]')
        .evaluateAll((els) => els.map((el) => [el.getAttribute('data-fingerprint'), Number(getComputedStyle(el).opacity)] as const));
      for (const [fp, o] of opacity) {
        const f = cont.findings.find((x) => x.fingerprint === fp)!;
        if (f.suppressed) expect(o, f.host).toBeLessThan(1);
        else expect(o, f.host).toBe(1);
      }
    });

    it('folds resolved, not retested and stale suppressions, and opens them on click', async () => {
      for (const [id, n] of [
        ['resolved', cont.diff!.resolved.length],
        ['not-retested', cont.diff!.notRetested.length],
      ] as const) {
        const rows = page2.locator(`[data-testid="${id}-rows"] tbody tr`);
        expect(await rows.count()).toBe(n);
        expect(await rows.first().isVisible()).toBe(false);
        await page2.getByTestId(id).locator('summary').click();
        expect(await rows.first().isVisible()).toBe(true);
      }
      const resolvedRow = await page2.locator('[data-testid="resolved-rows"] tbody tr').first().textContent();
      expect(resolvedRow).toContain(cont.diff!.resolved[0]!.title);
      expect(resolvedRow).toContain(`${cont.diff!.resolved[0]!.host}:${cont.diff!.resolved[0]!.port}`);
      const stale = page2.locator('[data-testid="stale-rows"] li');
      expect(await stale.count()).toBe(cont.suppressions!.stale.length);
      await page2.getByTestId('stale').locator('summary').click();
      const items = await stale.allTextContents();
      cont.suppressions!.stale.forEach((s, i) => {
        expect(items[i]).toContain(`${s.source.file}:${s.source.line}`);
        expect(items[i]).toContain(s.reason);
      });
    });

    it.each([
      ['new', () => cont.diff!.new],
      ['changed-severity', () => cont.diff!.changedSeverity],
      ['unchanged', () => cont.diff!.unchanged],
      ['suppressed', () => cont.summary.suppressed!],
      ['expired', () => cont.findings.filter((f) => f.suppressionExpired).length],
      ['', () => cont.findings.length],
    ] as const)('filters findings by change %j', async (value, n) => {
      await page2.getByTestId('filter-change').selectOption(value);
      expect(await text2('findings-visible')).toBe(String(n()));
      expect(await visible2()).toBe(n());
    });

    it('sorts findings by age', async () => {
      await page2.getByTestId('sort-findings').selectOption('age');
      await page2.getByTestId('sort-direction').selectOption('asc');
      const ages = await page2.locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-age'))));
      expect(ages).toEqual(cont.findings.map((f) => f.ageDays!).sort((a, b) => a - b));
      await page2.getByTestId('sort-direction').selectOption('desc');
      const desc = await page2.locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-age'))));
      expect(desc[0]).toBe(Math.max(...cont.findings.map((f) => f.ageDays!)));
    });

    it('writes a screenshot to test-output/report-continuous.png', async () => {
      await page2.evaluate(() => window.scrollTo(0, 0));
      mkdirSync('test-output', { recursive: true });
      const png = path.resolve('test-output', 'report-continuous.png');
      await page2.screenshot({ path: png, fullPage: true });
      expect(existsSync(png)).toBe(true);
    });

    it('keeps the hostile suppression reason and evidence inert and visible as text', async () => {
      expect(await page2.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page2.evaluate(() => document.querySelectorAll('img, iframe, object, embed, link, base, form, a').length)).toBe(0);
      expect(await page2.evaluate(() => document.querySelectorAll('script').length)).toBe(1);
      const suppressed = cont.findings.find((f) => f.suppressed)!;
      expect(await page2.locator(`[data-fingerprint="${suppressed.fingerprint}"] [data-testid="suppression"]`).textContent()).toContain(
        hostileReason,
      );
      expect(await page2.locator('[data-testid="reply"]').first().textContent()).toContain(hostile.script);
    });
  });

  it('sends no request beyond file:', async () => {
    expect(blocked).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    for (const u of requests) expect(u.startsWith('file:') || u.startsWith('data:'), u).toBe(true);
  });

  it('writes a screenshot to test-output/report.png', async () => {
    // A fresh load (earlier tests filtered, sorted and scrolled), with the first finding's evidence open.
    await page.reload({ waitUntil: 'load' });
    await page
      .locator('[data-testid="finding"] details[data-testid="evidence"]')
      .first()
      .evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync('test-output', { recursive: true });
    const png = path.resolve('test-output', 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(existsSync(png)).toBe(true);
    // The README's picture is refreshed on request only, so test runs leave the tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      mkdirSync('docs', { recursive: true });
      await page.screenshot({ path: path.resolve('test-output', 'report-top.png') });
      copyFileSync(path.resolve('test-output', 'report-top.png'), path.resolve('docs', 'report-screenshot.png'));
    }
  });

  it('the interception itself works: a page that does reach out is caught (loopback, aborted before sending)', async () => {
    const probe = await context.newPage();
    const before = blocked.length;
    await probe.setContent('<img src="http://127.0.0.1:9/pixel.png">');
    await probe.waitForTimeout(200);
    expect(blocked.length).toBe(before + 1);
    expect(blocked.at(-1)).toBe('http://127.0.0.1:9/pixel.png');
    await probe.close();
    blocked.splice(before);
  });
});
