/**
 * Escaping per output syntax, in one place. Everything a server sent (evidence, names, versions, titles built from
 * them) is untrusted: each renderer passes it through the escaper of its syntax. All of them start with the one
 * control-character neutraliser, so a reply cannot move a terminal's cursor, hide text in a browser or break XML.
 */

/**
 * Control characters that a terminal, a browser or an XML parser would act on (C0 but tab/LF/CR, DEL, C1), lone
 * surrogates and the non-characters U+FFFE/U+FFFF.
 */
const controls = new RegExp(
  // eslint-disable-next-line no-control-regex -- matching control characters is this regular expression's purpose
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  'g',
);

/** The one control-character neutraliser: each such character is shown as \xNN (below U+0100) or \uXXXX. */
export function neutraliseControls(s: string): string {
  return s.replace(controls, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Terminal text (the table, diff and progress output): controls neutralised, nothing else changes. */
export const terminalText = neutraliseControls;

/** HTML element content and quoted attribute values. */
export function escapeHtml(s: string | number | boolean): string {
  return neutraliseControls(String(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** XML 1.0 text and attribute values (JUnit): markup escaped, CR and tab as character references. */
export function xmlEscape(s: string): string {
  return neutraliseControls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Markdown: text for a table cell or a line: no HTML, no Markdown links or emphasis, no pipes or line breaks. */
export function mdText(s: string): string {
  return neutraliseControls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~-])/g, '\\$1')
    .replace(/\r?\n|\r/g, ' ');
}

/** Markdown: an inline code span: literal text (no escapes apply inside), pipes escaped for GFM tables. */
export function codeSpan(s: string): string {
  const text = neutraliseControls(s)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/** Markdown: text inside an HTML element such as <summary>, where Markdown escapes do not apply. */
export function mdHtmlText(s: string): string {
  return neutraliseControls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n|\r/g, ' ');
}

/** Markdown: a fenced code block that untrusted text cannot close: the fence is longer than any backtick run inside. */
export function mdFence(text: string, lang = 'text'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${neutraliseControls(text)}\n${f}`;
}
