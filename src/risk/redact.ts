import { createHash } from 'node:crypto';
import { secretPatterns, type SecretPattern } from './secret-patterns.js';

export interface SecretHit {
  pattern: string;
  /** `sk-…a1b2#3f9c0e`: first characters, last four, and a short hash to tell two secrets apart. */
  fingerprint: string;
}

/** A redacted stand-in that keeps enough to recognise a secret, never enough to use it. */
export function fingerprintSecret(secret: string): string {
  const hash = createHash('sha256').update(secret).digest('hex').slice(0, 8);
  const head = /^(sk-ant-|sk-proj-|sk-|AKIA|ASIA|ghp_|gho_|ghs_|github_pat_|glpat-|xox[a-z]-|AIza|sk_live_|sk_test_|rk_live_|eyJ)/.exec(secret)?.[0] ?? '';
  const tail = secret.length >= 16 ? secret.slice(-4) : '';
  return `${head}…${tail}#${hash}`;
}

let extraSecrets: string[] = [];

/** Literal secrets that must never be printed (passwords from the inventory or the environment). */
export function registerSecret(value: string): void {
  if (value && value.length >= 3 && !extraSecrets.includes(value)) {
    extraSecrets = [...extraSecrets, value].sort((a, b) => b.length - a.length);
    redacted.clear();
  }
}

/**
 * Short texts already redacted, and what they became. A sweep of 1,000,000 closed endpoints redacts the same asset,
 * file, status and message texts a million times: this made redaction the largest cost of such a run (profiled:
 * about a fifth of the CPU). Bounded; emptied when a secret is registered.
 */
const redacted = new Map<string, string>();
const MEMO_MAX_LENGTH = 256;
const MEMO_MAX_ENTRIES = 20_000;

function replaceAll(text: string, p: SecretPattern, hits: SecretHit[] | undefined): string {
  p.pattern.lastIndex = 0;
  return text.replace(p.pattern, (match: string, ...groups: unknown[]) => {
    const secret = p.group ? (groups[p.group - 1] as string | undefined) : match;
    if (!secret || secret.startsWith('[REDACTED')) return match;
    const fp = fingerprintSecret(secret);
    hits?.push({ pattern: p.id, fingerprint: fp });
    const stand = `[REDACTED ${p.id} ${fp}]`;
    return p.group ? match.replace(secret, stand) : stand;
  });
}

/** Replaces every secret in `text`; `hits` collects what was found (pattern + fingerprint only). */
export function redactText(text: string, hits?: SecretHit[]): string {
  const memo = hits === undefined && text.length <= MEMO_MAX_LENGTH;
  if (memo) {
    const known = redacted.get(text);
    if (known !== undefined) return known;
  }
  const out = redactUncached(text, hits);
  if (memo) {
    if (redacted.size >= MEMO_MAX_ENTRIES) redacted.clear();
    redacted.set(text, out);
  }
  return out;
}

function redactUncached(text: string, hits: SecretHit[] | undefined): string {
  let out = text;
  for (const s of extraSecrets) if (out.includes(s)) out = out.split(s).join(`[REDACTED configured-secret ${fingerprintSecret(s)}]`);
  for (const p of secretPatterns) out = replaceAll(out, p, hits);
  return out;
}

/** Deep copy with every string redacted; the one path all evidence takes to any output. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
