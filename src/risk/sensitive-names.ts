/**
 * Names of databases, tables, columns, indices, fields and key prefixes that suggest what an exposure holds.
 * Data, not code: add a rule here and every probe's listing is scored by it.
 */
export type Sensitivity = 'credentials' | 'conversations' | 'personal' | 'sessions' | 'logs' | 'ransom' | 'ai-assets';

/**
 * What kind of data a name points at, for incident response (src/risk/data-classes.ts holds the table of classes:
 * labels, retention keys, what to do). One name rule carries both: how telling a name is (`category`, which drives
 * severity and sampling) and which data class it points at (`dataClass`).
 */
export type DataClassId = 'credentials' | 'chat' | 'logs' | 'embeddings' | 'model-weights' | 'training-data' | 'personal' | 'payment';

export interface NameRule {
  id: string;
  category: Sensitivity;
  /** The data class this name points at; absent = none (a ransom note is a sign, not data). */
  dataClass?: DataClassId;
  meaning: string;
  /** Matched against each name part split on `.`, `_`, `-`, `:`, `/` and case changes (whole words). */
  pattern: RegExp;
}

export const nameRules: readonly NameRule[] = [
  { id: 'api-key', category: 'credentials', dataClass: 'credentials', meaning: 'API keys', pattern: /^(api_?keys?|apikeys?|keys?_?api)$/i },
  {
    id: 'secret',
    category: 'credentials',
    dataClass: 'credentials',
    meaning: 'secrets or credentials',
    pattern: /^(secrets?|credentials?|creds?|private_?key|client_?secret)$/i,
  },
  {
    id: 'password',
    category: 'credentials',
    dataClass: 'credentials',
    meaning: 'passwords or password hashes',
    pattern: /^(passwords?|passwd|pwd|pass_?hash|password_?hash)$/i,
  },
  {
    id: 'token',
    category: 'credentials',
    dataClass: 'credentials',
    meaning: 'access or refresh tokens',
    pattern: /^(tokens?|access_?tokens?|refresh_?tokens?|bearer|auth_?tokens?|jwt)$/i,
  },
  {
    id: 'session',
    category: 'sessions',
    dataClass: 'credentials',
    meaning: 'session identifiers (account takeover)',
    pattern: /^(sess|sessions?|session_?id|cookies?|sid)$/i,
  },
  {
    id: 'chat',
    category: 'conversations',
    dataClass: 'chat',
    meaning: 'chat histories or AI prompts and completions',
    pattern: /^(chats?|prompts?|completions?|conversations?|messages?|dialog(ue)?s?|transcripts?)$/i,
  },
  { id: 'email', category: 'personal', dataClass: 'personal', meaning: 'email addresses', pattern: /^(e?mails?|email_?address)$/i },
  {
    id: 'personal',
    category: 'personal',
    dataClass: 'personal',
    meaning: 'personal data',
    pattern: /^(phone|phones|ssn|dob|birth_?date|address|addresses|passport|customers?|users?|accounts?|patients?|ip_?address)$/i,
  },
  {
    id: 'payment',
    category: 'personal',
    dataClass: 'payment',
    meaning: 'payment data',
    pattern: /^(card|cards|credit_?card|iban|cvv|pan|payments?|billing)$/i,
  },
  {
    id: 'logs',
    category: 'logs',
    dataClass: 'logs',
    meaning: 'request or application logs (where API keys leak)',
    pattern: /^(logs?|log_?stream|request_?logs?|access_?logs?|audit|events?|traces?)$/i,
  },
  // AI-system data (issue 13): logged inference calls, vectors, weights, training sets. Category `ai-assets` does not
  // raise severity by itself (it is not in classify's weighty list); it names the data class for the response.
  {
    id: 'inference-log',
    category: 'logs',
    dataClass: 'logs',
    meaning: 'inference or API request logs (prompts, replies, keys)',
    pattern: /^(inference|inferences|inference_?logs?|llm_?calls?|generations|requests|request_?log|api_?calls?|usage_?logs?)$/i,
  },
  {
    id: 'embeddings',
    category: 'ai-assets',
    dataClass: 'embeddings',
    meaning: 'embeddings (vectors that can be inverted to their text)',
    pattern: /^(embeddings?|vectors?|vector_?store|embedding_?vectors?)$/i,
  },
  {
    id: 'model-weights',
    category: 'ai-assets',
    dataClass: 'model-weights',
    meaning: 'model weights or checkpoints',
    pattern: /^(weights?|checkpoints?|ckpt|safetensors|gguf|lora|adapters?|model_?weights|models)$/i,
  },
  {
    id: 'training-data',
    category: 'ai-assets',
    dataClass: 'training-data',
    meaning: 'training or fine-tuning data',
    pattern: /^(training|train|training_?data|train_?set|datasets?|fine_?tun(e|ing)|finetun(e|ing)|corpus|sft|rlhf)$/i,
  },
  {
    id: 'ransom-note',
    category: 'ransom',
    meaning: 'a ransom note: the data was probably already taken',
    pattern: /^(read_?me|readme|meow|warning|recover|how_?to_?recover|ransom|pwned)$/i,
  },
];

function parts(name: string): string[] {
  const split = name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .split(/[.\-:/\s]+/)
    .filter(Boolean);
  const out = new Set<string>();
  for (const s of split) {
    out.add(s);
    // snake_case words one by one, and adjacent pairs (api_key, log_stream)
    const words = s.split('_').filter(Boolean);
    words.forEach((w, i) => {
      out.add(w);
      if (words[i + 1]) out.add(`${w}_${words[i + 1]}`);
    });
  }
  return [...out];
}

export interface NameHit {
  rule: string;
  category: Sensitivity;
  dataClass?: DataClassId;
  name: string;
}

export function scoreName(name: string): NameHit[] {
  const ps = parts(name);
  return nameRules
    .filter((r) => ps.some((p) => r.pattern.test(p)))
    .map((r) => ({ rule: r.id, category: r.category, ...(r.dataClass ? { dataClass: r.dataClass } : {}), name }));
}

/** Categories worth sampling: where credentials, conversations and personal data end up. */
const sampled: ReadonlySet<Sensitivity> = new Set(['credentials', 'conversations', 'sessions', 'personal', 'logs']);

/** True when a table, index or key name (or one of its fields) suggests sensitive content. */
export function looksSensitive(name: string, fields: readonly string[] = []): boolean {
  return [name, ...fields].some((n) => scoreName(n).some((h) => sampled.has(h.category)));
}
