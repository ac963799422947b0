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
 * A finding's check id. It names the product: `redis:unauthenticated`, `litellm:default-credential` (the probe is the
 * product: a hand-written probe, or a catalog signature audited as its own service), and for a probe
 * that identifies one of many products (the HTTP admin catalog) the service and the product:
 * `http:jenkins` (unauthenticated), `http:jenkins:unclaimed` (any other kind). Fingerprints, suppressions and
 * `--fail-on-new` follow it, so nginx stub_status becoming a Jenkins script console on one port is a new finding.
 */
export function checkId(probe: string, kind: CheckKind, product?: { service: string; id: string }): string {
  if (!product) return `${probe}:${kind}`;
  return kind === 'unauthenticated' ? `${product.service}:${product.id}` : `${product.service}:${product.id}:${kind}`;
}

/** The check id before checks named the product (exposure-audit < 0.2): what the state migration maps from. */
export function legacyCheckId(probe: string, kind: CheckKind): string {
  return `${probe}:${kind}`;
}

/** The kind of a finding's check, or undefined for a check this version does not know (a report from another). */
export function checkKindOf(f: { check: string; probe: string; service?: string }): CheckKind | undefined {
  const byProbe = checkKinds.find((k) => f.check === `${f.probe}:${k}`);
  if (byProbe) return byProbe;
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
