/**
 * What a finding is about. A finding's `check` is `<probe id>:<kind>` (the report keeps that string; SARIF rule ids
 * are it); code works with the kind.
 */
export const checkKinds = [
  /** Unauthenticated access proven. */
  'unauthenticated',
  /** No password: only a network-level setting (protected mode) refused this client. */
  'no-password',
  /** Declared closed, answers (credentials required). */
  'reachable',
  /** Declared closed, something listens. */
  'port-open',
  /** Unclaimed setup: the first visitor becomes its administrator. */
  'unclaimed',
  /** Secured, yet public routes still reveal something. */
  'still-leaks',
  /** A documented default credential was accepted. */
  'default-credential',
  /** An exposed store holds data older than the inventory's `retention:` for its data class. */
  'retention-exceeded',
] as const;
export type CheckKind = (typeof checkKinds)[number];

/**
 * A finding's check id: `<product>:<kind>`, whichever way the product was declared. The product is the probe when
 * the probe is its product (`redis:unauthenticated`; a catalog signature audited as its own service:
 * `ollama:unauthenticated`), else the product a multi-product probe identified (the HTTP admin catalog under
 * `http:` finding Ollama: `ollama:unauthenticated` too). Fingerprints, suppressions and `--fail-on-new` follow it:
 * one exposure has one identity (issue 21), and nginx stub_status becoming a Jenkins script console on one port is
 * a new finding.
 */
export function checkId(probe: string, kind: CheckKind, product?: { service: string; id: string }): string {
  return `${product ? product.id : probe}:${kind}`;
}

/**
 * The check id of 0.2 to 0.x for a product a multi-product probe identified: `<service>:<product>` (unauthenticated),
 * `<service>:<product>:<kind>` — `http:ollama` — what the state migration maps from.
 */
export function serviceCheckId(service: string, product: string, kind: CheckKind): string {
  return kind === 'unauthenticated' ? `${service}:${product}` : `${service}:${product}:${kind}`;
}

/** The check id before checks named the product (exposure-audit < 0.2): what the state migration maps from. */
export function legacyCheckId(probe: string, kind: CheckKind): string {
  return `${probe}:${kind}`;
}

/** The kind of a finding's check, or undefined for a check this version does not know (a report from another). */
export function checkKindOf(f: { check: string; probe: string; service?: string }): CheckKind | undefined {
  const byProbe = checkKinds.find((k) => f.check === `${f.probe}:${k}`);
  if (byProbe) return byProbe;
  const parts = f.check.split(':');
  const last = checkKinds.find((k) => k === parts[parts.length - 1]);
  if (parts.length === 2 && parts[0] && last) return last; // `<product>:<kind>`
  // `<service>:<product>[:<kind>]`: a report of 0.2 to 0.x.
  if (f.service === undefined || !f.check.startsWith(`${f.service}:`)) return undefined;
  const rest = f.check.slice(f.service.length + 1).split(':');
  if (rest.length === 1 && rest[0]) return 'unauthenticated';
  return rest.length === 2 ? checkKinds.find((k) => k === rest[1]) : undefined;
}

/**
 * Does a suppression's `check:` cover this finding? The full id; a kind (`unauthenticated`, whatever the product);
 * or a tail of its segments (`jenkins`, `jenkins:unclaimed`, `redis:unauthenticated`).
 */
export function checkMatches(spec: string, f: { check: string; probe: string; service?: string }): boolean {
  return spec === f.check || checkKindOf(f) === spec || `:${f.check}:`.includes(`:${spec}:`);
}
