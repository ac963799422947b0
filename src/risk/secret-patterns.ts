/**
 * Secret patterns, as data. Each matches a credential by its value; a match is never stored, only a redacted
 * fingerprint (see redact.ts). Order matters: specific prefixes before generic shapes.
 *
 * Every pattern sees server-controlled text, so every pattern is linear-time: no nested quantifier (star height ≤ 1,
 * checked by safe-regex in test/unit/hostile/bounded-work.test.ts) and no unbounded run before a literal that could fail
 * (prefixes such as `db_` before `password` are not matched: the keyword alone anchors the match).
 */
export interface SecretPattern {
  id: string;
  /** Plural noun for counts in a finding's reason: "37 sk- API keys". */
  label: string;
  /** What a match means, for reports. */
  meaning: string;
  pattern: RegExp;
  /** When set, only this capture group is the secret (the rest, like `password=`, stays readable). */
  group?: number;
}

export const secretPatterns: readonly SecretPattern[] = [
  {
    id: 'private-key',
    label: 'private keys',
    meaning: 'a PEM private key block',
    pattern: /-----BEGIN [A-Z ]{0,24}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]{0,24}PRIVATE KEY-----|$)/g,
  },
  { id: 'anthropic-key', label: 'Anthropic API keys', meaning: 'an Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  {
    id: 'openai-key',
    label: 'sk- API keys',
    meaning: 'an OpenAI/DeepSeek-style `sk-` API key',
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  },
  { id: 'aws-access-key', label: 'AWS access keys', meaning: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    id: 'github-token',
    label: 'GitHub tokens',
    meaning: 'a GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  { id: 'gitlab-token', label: 'GitLab tokens', meaning: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'slack-token', label: 'Slack tokens', meaning: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  {
    id: 'slack-webhook',
    label: 'Slack webhook URLs',
    meaning: 'a Slack incoming-webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/g,
  },
  { id: 'google-api-key', label: 'Google API keys', meaning: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    id: 'stripe-key',
    label: 'Stripe keys',
    meaning: 'a Stripe secret or restricted key',
    pattern: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g,
  },
  { id: 'jwt', label: 'JWTs', meaning: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    id: 'bearer-token',
    label: 'bearer tokens',
    meaning: 'a bearer token in a header or log line',
    pattern: /\b(?:[Bb]earer|[Tt]oken)\s+([A-Za-z0-9._~+/-]{16,}=*)/g,
    group: 1,
  },
  {
    id: 'password-pair',
    label: 'passwords/secrets in key=value pairs',
    meaning: 'a password=, secret=, token= or api_key= value',
    // A value, not a flag word: MySQL's "(using password: NO)" / "YES" and config booleans are not secrets.
    pattern:
      /(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|token|requirepass|masterauth)\b["']?\s*[:=]\s*["']?(?!(?:yes|no|true|false|null|none)\b)([^\s"'&,;<>()]{3,})/gi,
    group: 1,
  },
  {
    id: 'url-credentials',
    label: 'passwords in URLs',
    meaning: 'credentials inside a URL',
    pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:([^\s@/]{1,256})@/gi,
    group: 1,
  },
  {
    id: 'email',
    label: 'email addresses',
    meaning: 'an email address (personal data)',
    pattern: /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g,
  },
];
