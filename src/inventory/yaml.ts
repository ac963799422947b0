import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { EaError } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { didYouMean } from '../text.js';

/**
 * The YAML front end shared by the inventory and suppressions files: text check, YAML syntax, alias bombs, a
 * top-level mapping, and zod issues mapped back to file:line:column, one line per problem.
 */
export interface InventoryProblem extends SourceLocation {
  message: string;
}

/** Thrown for any invalid inventory: one problem per line, each `file:line:column: message`. */
export class InventoryError extends EaError {
  readonly problems: InventoryProblem[];
  constructor(problems: InventoryProblem[]) {
    super('EA_INVENTORY', problems.map(formatProblem).join('\n'), {
      file: problems[0]?.file,
      line: problems[0]?.line,
      column: problems[0]?.column,
    });
    this.problems = problems;
  }
}

export function formatProblem(p: InventoryProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

type At = (line: number, column: number, message: string) => InventoryProblem;
type PosOf = (offset: number | undefined) => { line: number; column: number };

export interface YamlMapping {
  doc: Document;
  data: Record<string, unknown>;
  at: At;
  posOf: PosOf;
}

/** Parses `raw` as one YAML mapping, or throws an InventoryError whose every line is `file:line:column: …`. */
export function parseYamlMapping(raw: Buffer | string, file: string, what: { noun: string; listKey: string }): YamlMapping {
  const at: At = (line, column, message) => ({ file, line, column, message });
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (typeof raw !== 'string' && (raw.includes(0) || text.includes('\uFFFD'))) {
    throw new InventoryError([at(1, 1, `not a text file: ${what.noun} is UTF-8 YAML`)]);
  }
  if (text.trim() === '') throw new InventoryError([at(1, 1, `the file is empty: expected a \`${what.listKey}:\` list`)]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length) {
    throw new InventoryError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return at(pos.line, pos.col, `YAML: ${e.message.split('\n')[0]}`);
      }),
    );
  }
  const posOf: PosOf = (offset) => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias bomb ("billion laughs"): refused before it is expanded, at the first alias.
    let alias: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        alias = node.range?.[0];
        return visit.BREAK;
      },
    });
    const p = posOf(alias);
    throw new InventoryError([at(p.line, p.column, `YAML: ${(err as Error).message}`)]);
  }
  if (!isMap(doc.contents) || data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InventoryError([at(1, 1, `expected a mapping with a \`${what.listKey}:\` list`)]);
  }
  return { doc, data: data as Record<string, unknown>, at, posOf };
}

/**
 * zod issues → one problem each, at the YAML node they concern, without repeats. Every unknown key of a mapping is
 * its own problem (zod gives them as one issue), with the closest known key of that level when `schema` is given.
 */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  doc: Document,
  data: unknown,
  at: At,
  posOf: PosOf,
  schema?: z.ZodType,
): InventoryProblem[] {
  const one = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys.length > 1 ? issue.keys.map((k) => ({ ...issue, keys: [k] })) : [issue],
  );
  return dedupe(
    one.map((issue) => {
      const { offset, key } = locate(doc, issue);
      const p = posOf(offset);
      const known = schema && issue.code === 'unrecognized_keys' ? keysAt(schema, issue.path) : undefined;
      return at(p.line, p.column, describe(issue, key, valueAt(data, issue.path), known));
    }),
  );
}

/** The keys an object of `schema` accepts at `path` (array indexes step into the element), if it is an object. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s: unknown = schema;
  for (const k of path) {
    const d = defOf(unwrap(s));
    s = typeof k === 'number' ? d?.element : (d?.shape as Record<string, unknown> | undefined)?.[String(k)];
  }
  const shape = defOf(unwrap(s))?.shape;
  return shape ? Object.keys(shape) : undefined;
}

type Def = { type?: string; innerType?: unknown; in?: unknown; element?: unknown; shape?: Record<string, unknown> };
const defOf = (s: unknown): Def | undefined => (s as { def?: Def } | undefined)?.def;
/** Through optional / nullable / default / transform wrappers to the schema that has the shape. */
function unwrap(s: unknown): unknown {
  for (let i = 0; i < 8; i++) {
    const d = defOf(s);
    const inner = d?.innerType ?? (d?.type === 'pipe' ? d.in : undefined);
    if (!inner) return s;
    s = inner;
  }
  return s;
}

/** Finds the YAML node for an issue's path (the deepest that exists), or the offending key for unknown keys. */
function locate(doc: Document, issue: z.core.$ZodIssue): { offset: number | undefined; key?: string } {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys' && issue.keys.length) {
    const map = path.length ? doc.getIn(path, true) : doc.contents;
    if (isMap(map)) {
      const pair = map.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === issue.keys[0]);
      if (pair && isScalar(pair.key)) return { offset: pair.key.range?.[0], key: issue.keys[0] };
    }
  }
  // record keys (service names) are reported at the key itself
  if (issue.code === 'invalid_key' || (issue.code === 'custom' && path.length >= 4 && path[2] === 'services' && path.length === 4)) {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === path[path.length - 1]);
      if (pair && isScalar(pair.key)) return { offset: pair.key.range?.[0] };
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    if (node && node.range) return { offset: node.range[0] };
  }
  return { offset: undefined };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function describe(issue: z.core.$ZodIssue, key: string | undefined, value: unknown, known?: readonly string[]): string {
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    const k = key ?? issue.keys.join('", "');
    return `${where}unknown key "${k}"${known ? didYouMean(k, known) : ''}`;
  }
  // `redis: 6379` where a list is meant: say how to write it.
  const name = issue.path[issue.path.length - 1];
  if (
    issue.code === 'invalid_type' &&
    issue.expected === 'array' &&
    issue.path[issue.path.length - 2] === 'services' &&
    (typeof value === 'number' || typeof value === 'string')
  )
    return `${where}ports are a list: ${String(name)}: [${String(value)}]`;
  if (issue.code === 'invalid_key') return `${where}${issue.issues[0]?.message ?? issue.message}`;
  if (issue.code === 'invalid_type' && value === undefined) return `${where}required`;
  if (issue.code === 'invalid_value' && 'values' in issue) return `${where}expected one of ${issue.values.map(String).join(', ')}`;
  return `${where}${issue.message}`;
}

function dedupe(problems: InventoryProblem[]): InventoryProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = formatProblem(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
