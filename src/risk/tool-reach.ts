/**
 * What an agent tool reaches, from its listed name and description only (tools are never called). Used to rate an
 * MCP server that lists its tools to anyone: a tool that reaches the file system, a shell, a database, a cloud
 * account, a browser or the process's secrets turns "anyone can call tools" into "anyone can act as this host".
 *
 * Names are split into lower-case words (`read_file`, `readFile`, `browser-navigate` → read file / browser navigate).
 * A reach needs a word that means it (`sql`, `shell`, `kubectl`) or a verb and a noun together (`read` + `file`):
 * `gzip-file-as-resource` or `simulate-research-query` alone reach nothing. Descriptions count only through phrases
 * that cannot mean anything else ("file system", "shell command", "SQL", "environment variables").
 */
export const toolReaches = ['file-system', 'shell', 'database', 'cloud', 'browser', 'secrets'] as const;
export type ToolReach = (typeof toolReaches)[number];

export const reachLabel: Record<ToolReach, string> = {
  'file-system': 'the file system',
  shell: 'a shell / command execution',
  database: 'a database',
  cloud: 'a cloud or cluster account',
  browser: 'a web browser',
  secrets: "the server's environment variables and secrets",
};

interface Rule {
  /** Any one of these words in the name decides. */
  words?: string[];
  /** Or one word of each list. */
  verbs?: string[];
  nouns?: string[];
  /** A phrase in the description (whole words, case-insensitive). */
  phrases?: RegExp;
}

const rules: Record<ToolReach, Rule> = {
  'file-system': {
    words: ['filesystem', 'fs', 'readfile', 'writefile', 'mkdir', 'rmdir'],
    verbs: [
      'read',
      'write',
      'edit',
      'move',
      'copy',
      'rename',
      'delete',
      'remove',
      'create',
      'list',
      'search',
      'get',
      'tree',
      'upload',
      'download',
      'stat',
      'append',
      'open',
      'find',
    ],
    nouns: ['file', 'files', 'directory', 'directories', 'dir', 'dirs', 'folder', 'folders', 'path', 'paths'],
    phrases: /\b(file ?system|files? and director(y|ies)|director(y|ies) (tree|listing)|allowed directories)\b/i,
  },
  shell: {
    words: ['shell', 'bash', 'zsh', 'sh', 'powershell', 'cmd', 'terminal', 'exec', 'execute', 'subprocess', 'spawn', 'eval', 'repl', 'ssh'],
    verbs: ['run', 'start', 'invoke'],
    nouns: ['command', 'commands', 'code', 'script', 'scripts', 'python', 'process', 'program', 'binary'],
    phrases:
      /\b(shell commands?|terminal commands?|command line|execute (a |arbitrary )?(commands?|code|scripts?)|run (a |arbitrary )?(commands?|code|scripts?))\b/i,
  },
  database: {
    words: [
      'sql',
      'database',
      'databases',
      'db',
      'postgres',
      'postgresql',
      'psql',
      'mysql',
      'mariadb',
      'sqlite',
      'mongo',
      'mongodb',
      'redis',
      'clickhouse',
      'bigquery',
      'snowflake',
      'dynamodb',
      'cassandra',
      'neo4j',
      'cypher',
      'supabase',
      'elasticsearch',
    ],
    phrases: /\b(sql|database|postgres(ql)?|mysql|sqlite|mongodb|redis|bigquery|snowflake)\b/i,
  },
  cloud: {
    words: [
      'aws',
      's3',
      'ec2',
      'lambda',
      'iam',
      'gcp',
      'gcloud',
      'gcs',
      'azure',
      'kubernetes',
      'k8s',
      'kubectl',
      'helm',
      'terraform',
      'cloudflare',
      'docker',
      'pod',
      'pods',
      'bucket',
      'buckets',
      'vercel',
      'heroku',
    ],
    phrases: /\b(aws|amazon web services|google cloud|azure|kubernetes|kubectl|terraform|docker|s3 buckets?)\b/i,
  },
  browser: {
    words: ['browser', 'playwright', 'puppeteer', 'selenium', 'navigate', 'webpage', 'screenshot'],
    phrases: /\b(web browser|browser (page|tab|window)|headless (browser|chrom\w*))\b/i,
  },
  secrets: {
    words: [
      'env',
      'environ',
      'environment',
      'secret',
      'secrets',
      'credential',
      'credentials',
      'password',
      'passwords',
      'apikey',
      'keychain',
      'vault',
    ],
    phrases: /\b(environment variables|api keys)\b/i,
  },
};

/** Lower-case words of a tool name: split at `_ - . / :` and spaces, and between camelCase humps. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The reaches of one tool. */
export function reachesOf(tool: { name: string; description?: string }): ToolReach[] {
  const words = new Set(nameWords(tool.name));
  const has = (list: string[] | undefined) => (list ?? []).some((w) => words.has(w));
  const out: ToolReach[] = [];
  for (const reach of toolReaches) {
    const r = rules[reach];
    const byName = has(r.words) || (r.verbs !== undefined && has(r.verbs) && has(r.nouns));
    const byText = r.phrases !== undefined && tool.description !== undefined && r.phrases.test(tool.description);
    if (byName || byText) out.push(reach);
  }
  return out;
}

/** Per reach, the tools that have it (names as listed), in reach order; reaches nobody has are left out. */
export function reachMap(tools: ReadonlyArray<{ name: string; description?: string }>): Partial<Record<ToolReach, string[]>> {
  const out: Partial<Record<ToolReach, string[]>> = {};
  for (const t of tools) for (const r of reachesOf(t)) (out[r] ??= []).push(t.name);
  const sorted: Partial<Record<ToolReach, string[]>> = {};
  for (const r of toolReaches) if (out[r]) sorted[r] = out[r];
  return sorted;
}
