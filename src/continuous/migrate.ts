import { legacyFingerprints, renamedFingerprints } from '../classify/classify.js';
import type { Report } from '../report/schema.js';
import type { Baseline } from './diff.js';
import type { State, StateEntry } from './state.js';

/** Same product, same verdict: the old entry's title names the same product and its severity is the same. */
function sameFinding(old: { severity: string; title: string }, f: { severity: string; title: string }): boolean {
  const product = (t: string) => t.split(':')[0]!.trim();
  return old.severity === f.severity && product(old.title) === product(f.title);
}

/**
 * Check ids now name the product (`http:jenkins`, was `http-admin:unauthenticated`), so a catalog finding's
 * fingerprint changed. Mapped on load: a state entry or baseline finding under the old fingerprint moves to the
 * new one — first seen kept — when it is the same finding (same product in the title, same severity). One that is
 * not (nginx stub_status then, Jenkins now) is left alone: the new finding is NEW, as it should be.
 */
export function migrateFingerprints(
  report: Pick<Report, 'findings'>,
  sources: { state?: State | undefined; baseline?: Baseline | undefined },
): { state?: State; baseline?: Baseline; migrated: number } {
  let migrated = 0;
  let state = sources.state;
  let baseline = sources.baseline;
  const baseIndex = new Map((baseline?.findings ?? []).map((b, i) => [b.fingerprint, i]));
  // State entries under a 0.x `<service>:<product>` check, by the fingerprint they have now (one exposure, one
  // identity: the product is the same by its id, so a severity that changed with it does not block the move).
  const renamed = new Map<string, string>();
  for (const [fp, e] of Object.entries(state?.findings ?? {})) for (const now of renamedFingerprints(e)) renamed.set(now, fp);
  for (const f of report.findings) {
    const olds = legacyFingerprints(f);
    const moved = renamed.get(f.fingerprint);
    if (!olds.length && moved === undefined) continue;
    if (state && !state.findings[f.fingerprint]) {
      const hit =
        moved !== undefined && state.findings[moved] ? moved : olds.find((o) => state!.findings[o] && sameFinding(state!.findings[o]!, f));
      if (hit) {
        const findings: Record<string, StateEntry> = { ...state.findings };
        findings[f.fingerprint] = { ...findings[hit]!, check: f.check };
        delete findings[hit];
        state = { ...state, findings };
        migrated++;
      }
    }
    if (baseline && !baseIndex.has(f.fingerprint)) {
      const i = olds.map((o) => baseIndex.get(o)).find((j) => j !== undefined && sameFinding(baseline!.findings[j]!, f));
      if (i !== undefined) {
        const findings = [...baseline.findings];
        baseIndex.delete(findings[i]!.fingerprint);
        findings[i] = { ...findings[i]!, fingerprint: f.fingerprint };
        baseIndex.set(f.fingerprint, i);
        baseline = { ...baseline, findings };
        migrated++;
      }
    }
  }
  return { ...(state ? { state } : {}), ...(baseline ? { baseline } : {}), migrated };
}
