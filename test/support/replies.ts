// Loads every signatures/<id>.replies.ts (the folder is the registry: a test checks each signature has one).
import { readdirSync } from 'node:fs';
import { servedCase, type RecordedReplies } from '../../src/http-catalog/replies.js';

const dir = new URL('../../signatures/', import.meta.url);

export const repliesFiles: string[] = readdirSync(dir)
  .filter((f) => f.endsWith('.replies.ts'))
  .sort();

/**
 * Each case as the replay server serves it: with the product's landing page (`landing`, served on `/` unless the
 * case records its own), so every test that replays a case goes through the identify-first gate as the product would.
 */
export const allReplies: RecordedReplies[] = (
  await Promise.all(repliesFiles.map(async (f) => ((await import(new URL(f, dir).href)) as { default: RecordedReplies }).default))
).map((r) => ({ ...r, cases: Object.fromEntries(Object.entries(r.cases).map(([name, c]) => [name, servedCase(r, c)])) }));

export function repliesFor(id: string): RecordedReplies | undefined {
  return allReplies.find((r) => r.signature === id);
}
