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

export function checkId(probe: string, kind: CheckKind): string {
  return `${probe}:${kind}`;
}

/** The kind of a finding's check, or undefined for a check this version does not know (a report from another). */
export function checkKindOf(f: { check: string; probe: string }): CheckKind | undefined {
  return checkKinds.find((k) => f.check === checkId(f.probe, k));
}
