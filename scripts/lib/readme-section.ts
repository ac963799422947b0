/** A generated README section: the text between `start` and `end` markers, replaced whole (the markers stay). */
export function replaceSection(readme: string, [start, end]: readonly [string, string], body: string): string {
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i === -1 || j < i) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${readme.slice(0, i + start.length)}\n${body}\n${readme.slice(j)}`;
}

/** The body between the markers, trimmed (what a test compares with the generator's output). */
export function sectionOf(readme: string, [start, end]: readonly [string, string]): string {
  return readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();
}
