// Small Markdown helpers shared by the generators (tables in README.md and docs/).

/** A table cell: pipes escaped, one line. */
export const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Inline code (backticks inside become quotes). */
export const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** `text` with the part between the two marker lines replaced by `body` (the markers stay). */
export function replaceBetween(text: string, markers: readonly [string, string], body: string, file = 'README.md'): string {
  const [start, end] = markers;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i === -1 || j < i) throw new Error(`${file} has no ${start} … ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The text between two marker lines, trimmed. */
export function between(text: string, markers: readonly [string, string]): string {
  const [start, end] = markers;
  return text.slice(text.indexOf(start) + start.length, text.indexOf(end)).trim();
}
