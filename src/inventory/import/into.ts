import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { normalizeHost } from '../load.js';
import { ImportError, type ImportedInventory, type ImportedTarget } from './common.js';

/**
 * `import SOURCE FILE --into targets.yaml`: merges what an importer found into an inventory the user already keeps,
 * editing its YAML document in place so every comment, key order and hand-written target stays as it was. A host
 * already declared gets the imported ports added to its services (a target without `services:` already means
 * every service, and stays so) and labels it lacks; a new host is appended. What was left out is added as a
 * comment block at the end, under the source's name.
 */
export interface MergeResult {
  text: string;
  added: number;
  merged: number;
}

function targetsOf(doc: Document, file: string) {
  const targets = doc.get('targets', true);
  if (!isSeq(targets)) throw new ImportError(`${file} has no \`targets:\` list to merge into`);
  return targets;
}

function mergeServices(node: YAMLMap, t: ImportedTarget, doc: Document): void {
  if (!node.has('services')) return; // no services = every service on its default ports: already the widest
  if (!t.services) {
    node.delete('services'); // the import says "every service": the wider declaration wins
    return;
  }
  for (const [service, ports] of Object.entries(t.services)) {
    const have = node.getIn(['services', service], true);
    if (have === undefined) {
      const seq = doc.createNode(ports);
      seq.flow = true;
      node.setIn(['services', service], seq);
      continue;
    }
    if (!isSeq(have) || have.items.length === 0) continue; // null / [] = default ports: already the widest
    const current = have.items.map((i) => Number((i as { value: unknown }).value));
    for (const p of ports) if (!current.includes(p)) have.add(doc.createNode(p));
  }
}

export function mergeIntoInventory(existing: string, file: string, inv: ImportedInventory, source: string): MergeResult {
  const doc = parseDocument(existing);
  if (doc.errors.length) throw new ImportError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new ImportError(`${file} is not an inventory (a mapping with \`targets:\`)`);
  const targets = targetsOf(doc, file);
  const byHost = new Map<string, YAMLMap>();
  for (const item of targets.items) if (isMap(item)) byHost.set(normalizeHost(String(item.get('host'))), item);
  let added = 0;
  let merged = 0;
  for (const t of inv.targets) {
    const node = byHost.get(normalizeHost(t.host));
    if (!node) {
      const fresh = doc.createNode(
        {
          host: t.host,
          ...(t.name ? { name: t.name } : {}),
          ...(t.services ? { services: t.services } : {}),
          ...(t.labels && Object.keys(t.labels).length ? { labels: t.labels } : {}),
        },
        { aliasDuplicateObjects: false },
      ) as YAMLMap;
      const services = fresh.get('services', true);
      if (isMap(services)) for (const pair of services.items) (pair.value as { flow?: boolean }).flow = true;
      if (!added) fresh.commentBefore = ` Imported from ${source}`;
      targets.add(fresh);
      byHost.set(normalizeHost(t.host), fresh);
      added++;
      continue;
    }
    mergeServices(node, t, doc);
    for (const [k, v] of Object.entries(t.labels ?? {})) if (!node.hasIn(['labels', k])) node.setIn(['labels', k], v);
    if (!node.has('name') && t.name) node.set('name', t.name);
    merged++;
  }
  if (inv.notes.length) {
    const block = [` Not imported from ${source}:`, ...inv.notes.map((n) => ` - ${n}`)].join('\n');
    doc.comment = doc.comment ? `${doc.comment}\n${block}` : block;
  }
  return { text: doc.toString({ lineWidth: 0 }), added, merged };
}
