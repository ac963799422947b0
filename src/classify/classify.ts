import { createHash } from 'node:crypto';
import { checkId, checkKindOf, checkKinds, legacyCheckId, serviceCheckId, type CheckKind } from '../domain/check.js';
import { atLeast, raiseSeverity as raise } from '../domain/severity.js';
import type { Impact, ProbeMeta } from '../probe.js';
import { scoreName, type NameHit, type Sensitivity } from '../risk/sensitive-names.js';
import type { DataInventory, EndpointResult, Finding, Severity } from '../types.js';
import {
  accessTraceLine,
  dataAgeLines,
  dataClassIds,
  responseChecklist,
  retentionExcess,
  retentionSeverity,
  retentionWhy,
} from './aftermath.js';

export function fingerprintOf(r: Pick<EndpointResult, 'asset' | 'declaredHost' | 'host' | 'service' | 'port'>, check: string): string {
  // Identity: asset, service, port and check; the address only when one declaration covers several. `service` is
  // the product's own service key when a multi-product probe identified it (classifyAll), so the same product on
  // the same port has one fingerprint whether it was declared under its own key, under `http:`, or found by default.
  const where = r.declaredHost === r.host ? '' : r.host;
  return createHash('sha256').update([r.asset, where, r.service, r.port, check].join('|')).digest('hex').slice(0, 16);
}

export function humanCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1).replace(/\.0$/, '')}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1).replace(/\.0$/, '')}k`;
  return String(n);
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

const weighty: Sensitivity[] = ['credentials', 'conversations', 'sessions', 'personal', 'ransom'];

/** Sensitive-looking names in what was readable, most telling first. */
export function sensitiveNames(data: DataInventory | undefined): NameHit[] {
  if (!data) return [];
  const hits: NameHit[] = [];
  for (const item of data.items) {
    hits.push(...scoreName(item.name.split('.').pop() ?? item.name).map((h) => ({ ...h, name: item.name })));
    for (const f of item.fields ?? []) hits.push(...scoreName(f).map((h) => ({ ...h, name: `${item.name}.${f}` })));
  }
  const rank = (h: NameHit) => (weighty.includes(h.category) ? weighty.indexOf(h.category) : 10);
  return hits.sort((a, b) => rank(a) - rank(b));
}

function volumeOf(data: DataInventory | undefined): { rows: number; keys: number; bytes: number } {
  return { rows: data?.totals.rows ?? 0, keys: data?.totals.keys ?? 0, bytes: data?.totals.bytes ?? 0 };
}

function biggest(data: DataInventory | undefined): string | undefined {
  const t = data?.items.filter((i) => i.kind === 'table' || i.kind === 'index').sort((a, b) => (b.rows ?? 0) - (a.rows ?? 0))[0];
  return t && t.rows ? `${humanCount(t.rows)} rows in ${t.name}` : undefined;
}

type Verdict = { kind: CheckKind; severity: Severity; title: string; why: string[]; remediation?: string };

/** The primary verdict from the status (and the typed assessment), or undefined when the endpoint is as it should be. */
function primary(r: EndpointResult, meta: ProbeMeta | undefined): Verdict | undefined {
  const product = r.evidence.product ?? r.service;
  const internet = r.labels.exposure === 'internet';
  const why: string[] = [];
  if (r.status === 'exposed') {
    if (r.expect === 'exposed') {
      return {
        kind: 'unauthenticated',
        severity: 'info',
        title: `${product} is open, as declared`,
        why: ['declared `expect: exposed` in the inventory'],
      };
    }
    if (r.evidence.limited) {
      return {
        kind: 'unauthenticated',
        severity: 'medium',
        title: `${product} accepts logins without credentials (metadata refused)`,
        why: ['unauthenticated login succeeded; the metadata query was refused'],
      };
    }
    const impact: Impact = meta?.impact ?? 'data-store';
    const vol = volumeOf(r.data);
    const names = sensitiveNames(r.data);
    const telling = names.filter((n) => weighty.includes(n.category));
    let severity: Severity = impact === 'code-execution' ? 'critical' : 'high';
    const a = r.assessment;
    if (a) {
      // The probe's typed assessment (e.g. the matched catalog signature) sets the base severity and says why.
      severity = a.severity;
      why.push(a.reason);
    }
    const what: string[] = [];
    if (vol.rows) what.push(`${humanCount(vol.rows)} rows`);
    if (vol.keys) what.push(`${humanCount(vol.keys)} keys`);
    if (vol.bytes) what.push(humanBytes(vol.bytes));
    why.push(`unauthenticated ${impact === 'code-execution' ? 'read/write' : 'read'}${what.length ? ` of ${what.join(', ')}` : ''}`);
    const top = biggest(r.data);
    if (top) why.push(top);
    if (telling.length) {
      severity = 'critical';
      const shown = [...new Set(telling.map((n) => n.name))].slice(0, 3);
      why.push(`sensitive names: ${shown.join(', ')}${telling.length > shown.length ? ` (+${telling.length - shown.length})` : ''}`);
    } else if (r.data && !vol.rows && !vol.keys && impact === 'data-store') {
      severity = 'medium';
      why.push('no user data seen yet');
    } else if (!r.data && impact !== 'info-leak') {
      why.push('data volume not measured on this port');
    }
    const sample = r.data?.sample;
    if (sample) {
      const secrets = sample.secrets.filter((x) => x.pattern !== 'email');
      const emails = sample.secrets.find((x) => x.pattern === 'email');
      const found = [...secrets, ...(emails ? [emails] : [])].map((x) => `${x.count} ${x.label}`);
      why.push(found.length ? `${found.join(', ')} in ${sample.rows} sampled rows` : `no secrets in ${sample.rows} sampled rows`);
      if (secrets.length) severity = 'critical';
      else if (emails && !atLeast(severity, 'high')) severity = 'high';
    }
    const others = r.access?.otherAddresses?.length;
    if (others)
      why.push(
        `${others} other client address${others === 1 ? '' : 'es'} ran ${(r.access!.otherQueries ?? 0).toLocaleString('en-US')} queries${r.access!.since ? ` since ${r.access!.since}` : ''}`,
      );
    if (internet && severity !== 'critical') {
      severity = raise(severity);
      why.push('labelled exposure: internet');
    }
    return {
      kind: 'unauthenticated',
      severity,
      title: `${product} readable without authentication`,
      why,
      ...(a?.remediation ? { remediation: a.remediation } : {}),
    };
  }
  if (r.status === 'denied') {
    return {
      kind: 'no-password',
      severity: r.expect === 'closed' ? 'medium' : 'low',
      title: `${product} has no password; only protected mode refuses remote clients`,
      why: ['the server refused this client without asking for credentials'],
    };
  }
  if (r.status === 'auth-required' && r.expect === 'closed') {
    return {
      kind: 'reachable',
      severity: internet ? 'high' : 'medium',
      title: `${product} is reachable but declared closed`,
      why: ['declared `expect: closed`, but it answers (credentials required)'],
    };
  }
  if (r.status === 'not-detected' && r.expect === 'closed') {
    return {
      kind: 'port-open',
      severity: 'low',
      title: `port ${r.port} is open but declared closed`,
      why: ['declared `expect: closed`, but something listens'],
    };
  }
  return undefined;
}

/** Findings from the typed verdict facts (unclaimed setup, still-leaks, default credential), each its own check. */
function fromFacts(r: EndpointResult, now: Date): Verdict[] {
  const product = r.evidence.product ?? r.service;
  const out: Verdict[] = [];
  if (r.unclaimed && r.expect !== 'exposed') {
    out.push({
      kind: 'unclaimed',
      severity: r.labels.exposure === 'internet' ? 'critical' : 'high',
      title: `${product}: unclaimed setup: the first visitor becomes admin`,
      why: [`setup never completed: ${r.unclaimed}`],
      remediation: `complete ${product}'s setup (create the administrator) or stop the service, then restrict access to it`,
    });
  }
  if (r.defaultCredential) {
    out.push({
      kind: 'default-credential',
      severity: 'critical',
      title: `${product} accepts its default credential (${r.defaultCredential.user})`,
      why: [`documented default credential accepted for user ${r.defaultCredential.user} (${r.defaultCredential.source})`],
      remediation: `change the password of ${r.defaultCredential.user} (or disable the account), then restrict access to ${product}`,
    });
  }
  const excess = retentionExcess(r, now);
  if (excess.length && r.expect !== 'exposed') {
    out.push({
      kind: 'retention-exceeded',
      severity: retentionSeverity(excess),
      title: `${product} holds data past its retention (${excess.length} item${excess.length === 1 ? '' : 's'})`,
      why: retentionWhy(excess),
      remediation:
        'delete (or archive offline) what is older than the retention, add a TTL / retention policy that enforces it, and secure the store',
    });
  }
  if (r.status === 'auth-required' && r.leaks?.length) {
    out.push({
      kind: 'still-leaks',
      severity: 'low',
      title: `${product} requires credentials, but still leaks: ${r.leaks.map((l) => l.shows).join(', ')}`,
      why: [`public without credentials: ${r.leaks.map((l) => `${l.request} shows ${l.shows}`).join('; ')}`],
    });
  }
  return out;
}

/** Known advisories for the version seen raise a finding one level and name them in its reason. */
function withAdvisories(v: Verdict, r: EndpointResult): Verdict {
  const ids = (r.advisories ?? []).map((x) => x.id);
  if (!ids.length || v.kind === 'port-open') return v;
  return {
    ...v,
    severity: raise(v.severity),
    why: [...v.why, `known advisories for version ${r.evidence.version ?? '(seen)'}: ${ids.join(', ')}`],
  };
}

/**
 * The one place observations become findings. Probes observe; this judges. `meta` is the probe's meta (the CLI
 * passes it from the registry; classify never looks probes up): its impact drives the base severity, its
 * remediation is the default fix. Returns nothing when the endpoint is as it should be (secured, closed, or not
 * this service): its status still shows in the report. The first finding is the status's own, then one per typed
 * fact (unclaimed setup, default credential, still-leaks).
 */
export function classifyAll(r: EndpointResult, meta?: ProbeMeta, opts: { now?: Date } = {}): Finding[] {
  const now = opts.now ?? new Date();
  const main = primary(r, meta);
  const verdicts = [...(main ? [main] : []), ...fromFacts(r, now)].map((v) => withAdvisories(v, r));
  const product = productOf(r);
  // What leaked, how old, who else read it (issue 13): on every finding of an exposed store.
  const exposed = r.status === 'exposed';
  const classes = exposed ? dataClassIds(r) : [];
  const age = exposed ? dataAgeLines(r) : [];
  const trace = exposed ? accessTraceLine(r.access) : undefined;
  return verdicts.map((v) => {
    const check = checkId(r.probe, v.kind, product);
    const remediation = v.remediation ?? r.assessment?.remediation ?? meta?.remediation ?? '';
    return {
      fingerprint: fingerprintOf(product ? { ...r, service: product.id } : r, check),
      severity: v.severity,
      reason: `${v.severity}: ${v.why.join('; ')}`,
      title: v.title,
      check,
      service: r.service,
      probe: r.probe,
      asset: r.asset,
      host: r.host,
      port: r.port,
      status: r.status,
      labels: r.labels,
      source: r.source,
      evidence: r.evidence,
      remediation,
      ...(classes.length ? { dataClasses: classes } : {}),
      ...(age.length ? { dataAge: age } : {}),
      ...(trace ? { accessTrace: trace } : {}),
      response: responseChecklist(r, remediation),
    };
  });
}

/**
 * The product a multi-product probe identified (the HTTP admin catalog's matched signature, `facts.signature`), for
 * the check id; undefined for a probe that is its product (redis, clickhouse-http, …).
 */
function productOf(r: Pick<EndpointResult, 'facts' | 'service' | 'probe'>): { service: string; id: string } | undefined {
  const sig = r.facts?.['signature'];
  // A signature's own probe (service = probe = signature id, e.g. `litellm`) already names the product: its checks
  // read `litellm:unauthenticated`, `litellm:default-credential`, never `litellm:litellm:…`.
  if (sig === r.probe) return undefined;
  return typeof sig === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(sig) ? { service: r.service, id: sig } : undefined;
}

/**
 * The fingerprints a finding a multi-product probe made had under earlier check ids, for the state migration: the
 * check was `<probe>:<kind>` (< 0.2), then `<service>:<product>` (`http:ollama`, with the declared service in the
 * fingerprint), each with and without the address (whether one declaration covered several is not in a finding).
 * Empty for a probe that is its product: its identity never changed.
 */
export function legacyFingerprints(f: Pick<Finding, 'asset' | 'host' | 'service' | 'port' | 'check' | 'probe'>): string[] {
  const kind = checkKindOf(f);
  if (!kind || !f.check.endsWith(`:${kind}`)) return [];
  const product = f.check.slice(0, -kind.length - 1);
  if (product === f.probe) return [];
  return [legacyCheckId(f.probe, kind), serviceCheckId(f.service, product, kind)].flatMap((old) => [
    fingerprintOf({ ...f, declaredHost: f.host }, old),
    fingerprintOf({ ...f, declaredHost: `${f.host}/declared` }, old),
  ]);
}

/**
 * The other direction, for a state entry written under a 0.x check `<service>:<product>[:<kind>]` (`http:ollama`):
 * its fingerprints under the current identity (`ollama:unauthenticated`, the product's own service key), with and
 * without the address. Then the same product found under its own key, by default or under `http:` keeps its
 * first-seen date. Empty for any other check.
 */
export function renamedFingerprints(e: Pick<Finding, 'asset' | 'host' | 'service' | 'port' | 'check'>): string[] {
  const [service, product, ...rest] = e.check.split(':');
  if (service !== e.service || !product || checkKinds.some((k) => k === product) || rest.length > 1) return [];
  const kind = checkKindOf({ check: e.check, probe: '', service: e.service });
  if (!kind) return [];
  const check = checkId('', kind, { service, id: product });
  const r = { asset: e.asset, host: e.host, port: e.port, service: product };
  return [fingerprintOf({ ...r, declaredHost: e.host }, check), fingerprintOf({ ...r, declaredHost: `${e.host}/declared` }, check)];
}

/** The endpoint's primary finding (see classifyAll), or undefined. */
export function classify(r: EndpointResult, meta?: ProbeMeta): Finding | undefined {
  return classifyAll(r, meta)[0];
}
