/**
 * The complete leading part of a JSON document cut by a byte cap, closed and parsed: `{"_class":"hudson.model.Hudson",
 * "jobs":[{"name":"a"},{"na` → `{"_class":"hudson.model.Hudson","jobs":[{"name":"a"}]}`. One linear scan records
 * the cut points (just before a `,` at any depth, outside strings) with the brackets open there; the latest few are
 * tried, each closed with its brackets. Undefined when no prefix parses (or the text is not an object/array).
 */
export function parseJsonPrefix(text: string, tries = 8): unknown {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return undefined;
  const stack: string[] = [];
  const cuts: Array<{ at: number; closers: string }> = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) break;
    } else if (c === ',') {
      cuts.push({ at: i, closers: [...stack].reverse().join('') });
      if (cuts.length > tries) cuts.shift();
    }
  }
  for (let k = cuts.length - 1; k >= 0; k--) {
    const { at, closers } = cuts[k]!;
    try {
      return JSON.parse(text.slice(start, at) + closers);
    } catch {
      // an object cut between a key and its value: try the cut before
    }
  }
  return undefined;
}
