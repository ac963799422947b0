import ipaddr from 'ipaddr.js';
import type { Node } from 'yaml';
import { z } from 'zod';
import { checkMatches } from '../domain/check.js';
import type { LoadedInventory } from '../inventory/load.js';
import { hostKind } from '../inventory/schema.js';
import { suppressionListSchema, type SuppressionDecl } from '../inventory/suppression-schema.js';
import { InventoryError, parseYamlMapping, zodProblems } from '../inventory/yaml.js';
import type { Report, ReportFinding } from '../report/schema.js';
import type { SourceLocation } from '../types.js';
import { maxSuppressionsBytes, readBounded, readProblem } from '../read-bounded.js';
import { endpointKey, testedFromReport, type EndpointIdentity, type TestedEndpoints } from './tested.js';

/** An accepted risk with where it was declared (inventory or --suppressions file). */
export type Suppression = SuppressionDecl & { source: SourceLocation };

const validHost = (h: string) => hostKind(h) !== undefined;

/** The inventory's own `suppressions:` list. */
export function suppressionsOf(loaded: LoadedInventory): Suppression[] {
  return (loaded.inventory.suppressions ?? []).map((s, i) => ({
    ...s,
    source: loaded.suppressionLocations?.[i] ?? { file: loaded.file, line: 1, column: 1 },
  }));
}

/**
 * A `--suppressions FILE`: the same YAML shape as the inventory's (`suppressions:` list), validated the same
 * way; every problem is thrown as `file:line:column: message` (an InventoryError: exit code 2).
 */
export async function loadSuppressionsFile(file: string, services: readonly string[]): Promise<Suppression[]> {
  let raw: Buffer;
  try {
    raw = await readBounded(file, maxSuppressionsBytes);
  } catch (err) {
    throw new InventoryError([{ file, line: 1, column: 1, message: readProblem(err) }]);
  }
  return parseSuppressions(raw, file, services);
}

export function parseSuppressions(raw: Buffer | string, file: string, services: readonly string[]): Suppression[] {
  const { doc, data, at, posOf } = parseYamlMapping(raw, file, { noun: 'a suppressions file', listKey: 'suppressions' });
  const schema = z.strictObject({ suppressions: suppressionListSchema(services, validHost) });
  const result = schema.safeParse(data);
  if (!result.success) throw new InventoryError(zodProblems(result.error.issues, doc, data, at, posOf, schema));
  return result.data.suppressions.map((s, i) => {
    const p = posOf((doc.getIn(['suppressions', i], true) as Node | undefined)?.range?.[0]);
    return { ...s, source: { file, line: p.line, column: p.column } };
  });
}

const DAY_MS = 86_400_000;

/** The first instant a suppression is no longer in force: the day after `expires`, 00:00 UTC (`expires` is the last day). */
export function expiresAt(s: Pick<Suppression, 'expires'>): Date {
  return new Date(Date.parse(`${s.expires}T00:00:00Z`) + DAY_MS);
}

export function isExpired(s: Pick<Suppression, 'expires'>, now: Date): boolean {
  return now.getTime() >= expiresAt(s).getTime();
}

const norm = (h: string) => h.toLowerCase().replace(/\.$/, '');

function hostMatches(spec: string, address: string, ep: EndpointIdentity | undefined): boolean {
  if (ep && (norm(spec) === norm(ep.declaredHost) || (ep.hostname !== undefined && norm(spec) === norm(ep.hostname)))) return true;
  try {
    const addr = ipaddr.process(address);
    const kind = hostKind(spec);
    if (kind === 'ip') return ipaddr.process(spec).toString() === addr.toString();
    if (kind === 'cidr') {
      const [net, bits] = ipaddr.parseCIDR(spec);
      if (net.kind() !== addr.kind()) return false;
      return net.kind() === 'ipv4'
        ? (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, bits)
        : (addr as ipaddr.IPv6).match(net as ipaddr.IPv6, bits);
    }
  } catch {
    return false;
  }
  return false;
}

export function matchesFinding(s: SuppressionDecl, f: ReportFinding, ep?: EndpointIdentity): boolean {
  if (s.asset !== undefined && s.asset !== f.asset) return false;
  if (s.host !== undefined && !hostMatches(s.host, f.host, ep)) return false;
  if (s.service !== undefined && s.service !== f.service) return false;
  if (s.port !== undefined && s.port !== f.port) return false;
  if (s.check !== undefined && !checkMatches(s.check, f)) return false;
  return true;
}

const ref = (s: Suppression) => ({ reason: s.reason, owner: s.owner, expires: s.expires, source: s.source });

/** Text appended to a finding's reason when its suppression has expired. */
export function expiredNote(s: Pick<Suppression, 'owner' | 'expires' | 'reason'>): string {
  return `suppression by ${s.owner} expired on ${s.expires} (was: ${s.reason})`;
}

/**
 * Marks findings under a suppression in force (`suppressed`: still reported, not counted for --fail-on), raises
 * those whose only matching suppressions have expired (`suppressionExpired` and a note in `reason`), and lists the
 * suppressions that matched nothing in this run as stale. Expiry is judged at `now` (the injected clock).
 * `tested` gives each finding's endpoint (by default from the report's endpoints; a streamed report has none).
 */
export function applySuppressions(
  report: Report,
  list: readonly Suppression[],
  now: Date,
  tested: TestedEndpoints = testedFromReport(report),
): Report {
  if (!list.length) return report;
  const used = new Set<Suppression>();
  const findings = report.findings.map((f) => {
    const ep = tested.endpoint(endpointKey(f));
    const matching = list.filter((s) => matchesFinding(s, f, ep));
    for (const s of matching) used.add(s);
    const inForce = matching.filter((s) => !isExpired(s, now)).sort((a, b) => b.expires.localeCompare(a.expires))[0];
    if (inForce) return { ...f, suppressed: ref(inForce) };
    const lapsed = matching.sort((a, b) => b.expires.localeCompare(a.expires))[0];
    if (lapsed) return { ...f, reason: `${f.reason}; ${expiredNote(lapsed)}`, suppressionExpired: ref(lapsed) };
    return f;
  });
  const stale = list
    .filter((s) => !used.has(s))
    .map((s) => ({
      ...(s.host !== undefined ? { host: s.host } : {}),
      ...(s.asset !== undefined ? { asset: s.asset } : {}),
      ...(s.service !== undefined ? { service: s.service } : {}),
      ...(s.port !== undefined ? { port: s.port } : {}),
      ...(s.check !== undefined ? { check: s.check } : {}),
      reason: s.reason,
      owner: s.owner,
      expires: s.expires,
      expired: isExpired(s, now),
      source: s.source,
    }));
  const suppressed = findings.filter((f) => f.suppressed).length;
  return {
    ...report,
    summary: { ...report.summary, suppressed },
    findings,
    suppressions: {
      declared: list.length,
      applied: [...used].filter((s) => !isExpired(s, now)).length,
      expired: list.filter((s) => isExpired(s, now)).length,
      stale,
    },
  };
}

/** Identity of a stale suppression across shard reports (merge keeps those stale in every shard). */
export function staleKey(s: NonNullable<Report['suppressions']>['stale'][number]): string {
  return JSON.stringify([s.source.file, s.source.line, s.source.column, s.host, s.asset, s.service, s.port, s.check, s.expires]);
}
