import { createHmac, randomBytes } from 'node:crypto';
import { secretPatterns, type SecretPattern } from './secret-patterns.js';

export interface SecretHit {
  pattern: string;
  /** `sk-…a1b2#3f9c0e1d`: first characters, last four, and a keyed hash to tell two secrets apart. */
  fingerprint: string;
}

/**
 * The fingerprint key. A plain hash of a secret is a dictionary oracle for anyone holding a report (SARIF, a PR
 * comment, a Slack alert): hash a guess and compare. Keyed with HMAC-SHA256 under a per-installation secret (kept
 * beside the state file, see src/continuous/fingerprint-key.ts), fingerprints stay stable across runs yet cannot be
 * matched offline. Without a state file the key is random for this process (stable within the run only).
 */
let fingerprintKey: Buffer = randomBytes(32);

/** Installs the per-installation key (32 random bytes from the key file). */
export function setFingerprintKey(key: Buffer): void {
  if (key.length < 16) throw new Error('fingerprint key too short');
  fingerprintKey = Buffer.from(key);
  redacted.clear();
}

/**
 * Short texts already redacted, and what they became. A sweep of 1,000,000 closed endpoints redacts the same asset,
 * file, status and message texts a million times: this made redaction the largest cost of such a run (profiled:
 * about a fifth of the CPU). Bounded; emptied when a secret is registered or the fingerprint key changes.
 */
const redacted = new Map<string, string>();
const MEMO_MAX_LENGTH = 256;
const MEMO_MAX_ENTRIES = 20_000;

/** A redacted stand-in that keeps enough to recognise a secret, never enough to use it or to test a guess offline. */
export function fingerprintSecret(secret: string): string {
  const hash = createHmac('sha256', fingerprintKey).update(secret).digest('hex').slice(0, 8);
  const head =
    /^(sk-ant-|sk-proj-|sk-|AKIA|ASIA|ghp_|gho_|ghs_|github_pat_|glpat-|xox[a-z]-|AIza|sk_live_|sk_test_|rk_live_|eyJ)/.exec(secret)?.[0] ??
    '';
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

function redactPlain(text: string, hits: SecretHit[] | undefined): string {
  let out = text;
  for (const s of extraSecrets) if (out.includes(s)) out = out.split(s).join(`[REDACTED configured-secret ${fingerprintSecret(s)}]`);
  for (const p of secretPatterns) out = replaceAll(out, p, hits);
  return out;
}

const escapeSeq =
  /%([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})|\\([rnt"'\\/])|&#x([0-9A-Fa-f]{1,6});|&#(\d{1,7});|&(amp|quot|apos|lt|gt);/g;
const simpleEscapes: Record<string, string> = { r: '\r', n: '\n', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/' };
const entities: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/**
 * One decoding pass for matching: percent-encoding (byte-wise, then UTF-8), JSON/JS escapes (\uXXXX, \xNN, \r \n
 * \t \" \\), HTML character references. Linear; a sequence that would decode to a lone surrogate is kept as is.
 */
export function decodeForMatching(text: string): string {
  if (!/[%\\&]/.test(text)) return text;
  escapeSeq.lastIndex = 0;
  const decoded = text.replace(
    escapeSeq,
    (m: string, pct?: string, u?: string, x?: string, simple?: string, hex?: string, dec?: string, ent?: string) => {
      if (pct) return `\ue000${pct}`; // percent bytes are joined and UTF-8 decoded below
      if (u) return String.fromCharCode(parseInt(u, 16));
      if (x) return String.fromCharCode(parseInt(x, 16));
      if (simple) return simpleEscapes[simple] ?? m;
      const cp = hex ? parseInt(hex, 16) : dec ? Number(dec) : undefined;
      if (cp !== undefined) return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      return ent ? (entities[ent] ?? m) : m;
    },
  );
  // Runs of percent bytes: decode as UTF-8 (invalid sequences become U+FFFD, which no pattern matches).
  return decoded.replace(/(?:\ue000[0-9A-Fa-f][0-9A-Fa-f])+/g, (run) => Buffer.from(run.replace(/\ue000/g, ''), 'hex').toString('utf8'));
}

/**
 * Replaces every secret in `text`; `hits` collects what was found (pattern + fingerprint only). The text is also
 * matched once decoded (percent-encoding, escapes, character references, up to three layers): when the decoded
 * form holds a secret the plain form hid, the decoded form is what is returned, redacted.
 */
export function redactText(text: string, hits?: SecretHit[]): string {
  if (isPlainAddress(text)) return text;
  const memo = hits === undefined && text.length <= MEMO_MAX_LENGTH;
  if (memo) {
    const known = redacted.get(text);
    if (known !== undefined) return known;
  }
  const out = redactLayers(text, hits);
  if (memo) {
    if (redacted.size >= MEMO_MAX_ENTRIES) redacted.clear();
    redacted.set(text, out);
  }
  return out;
}

/**
 * Text made only of an IP literal's characters (every host of an expanded CIDR) holds no secret: each pattern in
 * secret-patterns.ts needs a letter outside the hex digits (sk-, AKIA, eyJ, password=, ://, @ …), and none of %, \\
 * or & is there to decode. A sweep of a /16 redacted 65,536 distinct host strings, each missing the memo (profiled:
 * a tenth of such a run's CPU). A configured secret found inside one is still redacted.
 */
function isPlainAddress(text: string): boolean {
  return plainAddress.test(text) && !extraSecrets.some((s) => text.includes(s));
}
/** The characters of an IP literal, nothing else (net.isIP's IPv6 expression cost more than the redaction it saved). */
const plainAddress = /^[0-9A-Fa-f.:]{1,45}$/;

function redactLayers(text: string, hits: SecretHit[] | undefined): string {
  const local: SecretHit[] = [];
  let out = redactPlain(text, local);
  let layerText = out;
  for (let layer = 0; layer < 3; layer++) {
    const decoded = decodeForMatching(layerText);
    if (decoded === layerText) break;
    const deeper: SecretHit[] = [];
    const redacted = redactPlain(decoded, deeper);
    layerText = redacted;
    // Nothing hidden by this layer: the text stays as the server sent it (a deeper layer may still reveal one).
    if (redacted === decoded) continue;
    local.push(...deeper);
    out = redacted;
  }
  hits?.push(...local);
  return out;
}

/**
 * Redacts the whole text, then cuts it: a secret cut by the excerpt would no longer match. Text that needs no cut
 * is returned as is: the engine redacts every observation whole (src/engine/bound.ts), and redacting each short
 * field of a 9,000-row listing here cost more than parsing it.
 */
export function redactedExcerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  // A bounded slice: enough past the cut for any secret that starts inside the excerpt (a PEM key is ~3 KB).
  const r = redactText(text.slice(0, max + 8192));
  return r.length > max ? r.slice(0, max) : r;
}

/** Deep copy with every string redacted, object keys included; the one path all evidence takes to any output. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    // Keys come from servers too (a keyspace line, a database or field name): redacted like values.
    const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const key = redactText(k);
      const v = redactDeep((value as Record<string, unknown>)[k]);
      // A server-sent "__proto__" key stays data, never the copy's prototype; any other key is a plain assignment
      // (defineProperty for every key was most of this function's cost on a sweep of closed endpoints).
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out as T;
  }
  return value;
}
