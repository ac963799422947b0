import { redactedExcerpt } from '../risk/redact.js';
/** ClickHouse TabSeparated: rows end in \n, fields split by \t, with backslash escapes. */
const escapes: Record<string, string> = { t: '\t', n: '\n', r: '\r', '\\': '\\', "'": "'", b: '\b', f: '\f', '0': '\0' };

function unescapeField(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c) : s;
}

export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    rows.push(line.split('\t').map(unescapeField));
  }
  return rows;
}

/** `Code: 194, e.displayText() = …` (≤ 19.x) and `Code: 516. DB::Exception: …` (modern) both start the body. */
export function clickhouseErrorCode(body: string, header?: string): number | undefined {
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim());
  const m = /^Code: (\d+)/m.exec(body);
  return m ? Number(m[1]) : undefined;
}

/** Codes that mean: credentials demanded or refused (REQUIRED_PASSWORD, WRONG_PASSWORD, UNKNOWN_USER, ...). */
export const clickhouseAuthCodes = new Set([192, 193, 194, 195, 516]);
/** ACCESS_DENIED: the password-less login succeeded but the query was not granted. */
export const clickhouseAccessDenied = 497;

/**
 * An exception ClickHouse wrote into the body after `200 OK` was already sent (headers can no longer change):
 * - plain text after the rows, `Code: N. DB::Exception: …` (≤ 19.x `Code: N, e.displayText() = DB::Exception: …`);
 * - 25.3–25.10: an `__exception__` line before that text;
 * - 25.11+: a tagged frame `__exception__\r\n<tag>\r\n<message>\n<len> <tag>\r\n__exception__\r\n`, the tag
 *   announced in `X-ClickHouse-Exception-Tag` (ClickHouse PR #88818).
 * TSV escapes newlines inside values, so a line that starts like an exception is the server's, not a row's.
 * `at` is where the data ends (the rows before it are complete only up to the last newline).
 */
export function clickhouseBodyException(body: string, tag?: string): { code: number; message: string; at: number } | undefined {
  const marker = tag ? body.lastIndexOf(`__exception__\r\n${tag}`) : -1;
  const bare = marker === -1 ? body.search(/(?:^|\n)__exception__\r?\n/) : -1;
  const start = marker !== -1 ? marker : bare === -1 ? -1 : bare + (body[bare] === '\n' ? 1 : 0);
  const re = /(?:^|\n)Code: (\d+)[.,] (?:e\.displayText\(\) = )?DB::Exception[^\n]*/g;
  let found: RegExpExecArray | undefined;
  for (let m = re.exec(body); m; m = re.exec(body)) found = m;
  if (start === -1 && !found) return undefined;
  const codeMatch = start !== -1 ? /Code: (\d+)[.,]/.exec(body.slice(start)) : found;
  const at = start !== -1 ? start : found!.index + (body[found!.index] === '\n' ? 1 : 0);
  const text = start !== -1 ? body.slice(start) : found![0];
  return {
    code: codeMatch ? Number(codeMatch[1]) : 0,
    message: redactedExcerpt((/Code: \d+[^\n]*/.exec(text)?.[0] ?? text).trim(), 200),
    at,
  };
}
