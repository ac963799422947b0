// Loads every signatures/<id>.replies.ts (the folder is the registry: a test checks each signature has one).
import { readdirSync } from 'node:fs';
import type { RecordedReplies } from '../../src/http-catalog/replies.js';

const dir = new URL('../../signatures/', import.meta.url);

export const repliesFiles: string[] = readdirSync(dir)
  .filter((f) => f.endsWith('.replies.ts'))
  .sort();

export const allReplies: RecordedReplies[] = await Promise.all(
  repliesFiles.map(async (f) => ((await import(new URL(f, dir).href)) as { default: RecordedReplies }).default),
);

export function repliesFor(id: string): RecordedReplies | undefined {
  return allReplies.find((r) => r.signature === id);
}
