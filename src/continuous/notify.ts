import { EaError } from '../errors.js';
import type { Report, ReportFinding } from '../report/schema.js';
import { redactText, registerSecret } from '../risk/redact.js';
import { version } from '../version.js';
import type { Baseline, DiffEntry } from './diff.js';
import { changeOf, entryLine } from '../report/change-view.js';
import { loadUndici } from '../net/http.js';

/**
 * `--notify URL` or `--notify '${ALERT_WEBHOOK}'` (read from the environment, so the URL is not in argv, shell
 * history or CI logs). The URL is registered as a secret: it is redacted from anything printed or written, and
 * every message about it says only "the webhook".
 */
export function resolveWebhook(spec: string, env: NodeJS.ProcessEnv): string {
  const ref = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(spec.trim());
  const value = (ref ? env[ref[1]!] : spec)?.trim();
  if (!value) {
    throw new EaError(
      'EA_USAGE',
      ref ? `--notify: environment variable ${ref[1]} (the webhook) is not set or empty` : '--notify: the webhook is empty',
    );
  }
  registerSecret(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EaError('EA_USAGE', '--notify: the webhook is not a URL');
  }
  // The path and query of chat webhooks are the credential: redact them even when they appear without the origin.
  const secretPart = `${url.pathname}${url.search}`;
  if (secretPart.length >= 8) registerSecret(secretPart);
  if (url.username || url.password) registerSecret(decodeURIComponent(url.password || url.username));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new EaError('EA_USAGE', '--notify: the webhook must be an http(s) URL');
  return value;
}

export interface Alerts {
  /** NEW findings (not suppressed), and findings raised again because their suppression expired. */
  raised: ReportFinding[];
  /** With --notify-resolved. */
  resolved: DiffEntry[];
}

/** What to post: nothing about suppressed findings, nothing that was already known (by fingerprint). */
export function selectAlerts(report: Report, baseline: Baseline | undefined, withResolved: boolean): Alerts {
  const wasSuppressed = new Set((baseline?.findings ?? []).filter((b) => b.suppressed).map((b) => b.fingerprint));
  const raised = report.findings.filter(
    (f) => !f.suppressed && (f.change === 'new' || (f.suppressionExpired !== undefined && wasSuppressed.has(f.fingerprint))),
  );
  return { raised, resolved: withResolved ? (report.diff?.resolved ?? []) : [] };
}

/** Slack's mrkdwn needs only &, < and > escaped; the rest of the text is literal. */
const esc = (s: string) => redactText(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const maxListed = 20;

export interface SlackPayload {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Slack-compatible JSON (`text` as the fallback and notification line, `blocks` for the layout); Mattermost and others accept it too. */
export function buildSlackPayload(report: Report, alerts: Alerts): SlackPayload {
  const counts = new Map<string, number>();
  for (const f of alerts.raised) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const bySev = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  const head: string[] = [];
  if (alerts.raised.length)
    head.push(`${alerts.raised.length} new finding${alerts.raised.length === 1 ? '' : 's'}${bySev ? ` (${bySev})` : ''}`);
  if (alerts.resolved.length) head.push(`${alerts.resolved.length} resolved`);
  const shard = report.run.shard ? ` [shard ${report.run.shard.index}/${report.run.shard.count}]` : '';
  const text = redactText(`exposure-audit: ${head.join(', ')} in ${report.run.inventory}${shard}`);
  const blocks: SlackPayload['blocks'] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*exposure-audit*: ${esc(head.join(', '))} in \`${esc(report.run.inventory)}\`${esc(shard)}` },
    },
  ];
  for (const f of alerts.raised.slice(0, maxListed)) {
    const v = changeOf(f);
    const lines = [
      `*${f.severity.toUpperCase()}*${f.suppressionExpired ? ' (suppression expired)' : ''} ${esc(f.title)}`,
      `\`${esc(f.asset)}\` ${esc(f.host)}:${f.port} (${esc(f.service)})`,
      esc(f.reason),
      ...(v.since ? [esc(v.since)] : []),
    ];
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 2900) } });
  }
  if (alerts.raised.length > maxListed)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `+${alerts.raised.length - maxListed} more in the report` }] });
  if (alerts.resolved.length) {
    const shown = alerts.resolved.slice(0, maxListed).map((e) => `• ${esc(entryLine(e))}`);
    if (alerts.resolved.length > maxListed) shown.push(`+${alerts.resolved.length - maxListed} more`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Resolved*\n${shown.join('\n')}`, 2900) } });
  }
  return { text, blocks };
}

export interface PostOptions {
  /** Tries in all (default 3). */
  attempts?: number;
  /** Wait before the 2nd, 3rd… try (default 200 ms, 800 ms; the last value repeats). */
  backoffMs?: number[];
  /** Deadline per attempt, connect included (default 5 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PostResult {
  ok: boolean;
  attempts: number;
  status?: number;
  /** Names only "the webhook", never its URL. */
  problem?: string;
}

export const notifyDefaults = { attempts: 3, backoffMs: [200, 800], timeoutMs: 5_000 } as const;

const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * POSTs JSON to the webhook: bounded attempts, a deadline per attempt (connect included), backoff between
 * attempts, no redirects followed. Retries on network errors, deadlines, 408/425/429 and 5xx; a 4xx is final.
 */
export async function postWebhook(url: string, payload: unknown, opts: PostOptions = {}): Promise<PostResult> {
  const attempts = Math.max(1, opts.attempts ?? notifyDefaults.attempts);
  const backoff = opts.backoffMs ?? [...notifyDefaults.backoffMs];
  const timeoutMs = opts.timeoutMs ?? notifyDefaults.timeoutMs;
  const body = JSON.stringify(payload);
  // Loaded here, when there is a webhook to call: most runs have none, and undici costs ~110 ms to load.
  const { Agent, request } = await loadUndici();
  const dispatcher = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 1 });
  let last: PostResult = { ok: false, attempts: 0, problem: 'the webhook was not tried' };
  try {
    for (let i = 1; i <= attempts; i++) {
      if (opts.signal?.aborted) return { ...last, attempts: i - 1, problem: 'the run was interrupted before the webhook was notified' };
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
      try {
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': `exposure-audit/${version}` },
          body,
          dispatcher,
          signal,
        });
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, attempts: i, status: res.statusCode };
        last = { ok: false, attempts: i, status: res.statusCode, problem: `the webhook answered HTTP ${res.statusCode}` };
        if (!retryable(res.statusCode)) return last;
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { name?: string };
        const why = deadline.aborted
          ? `no answer within ${timeoutMs} ms`
          : opts.signal?.aborted
            ? 'interrupted'
            : (e.code ?? e.name ?? 'error');
        last = { ok: false, attempts: i, problem: `the webhook could not be reached (${why})` };
        if (opts.signal?.aborted) return last;
      }
      if (i < attempts) await sleep(backoff[Math.min(i - 1, backoff.length - 1)] ?? 0, opts.signal);
    }
    return last;
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}
