import type { DataInventory, DataItem, DataKind } from '../types.js';
import { scoreName, type DataClassId } from './sensitive-names.js';

export type { DataClassId } from './sensitive-names.js';

/**
 * The data classes an exposed store can hold, as one table: what each is called in reports, the `retention:` keys
 * that name it, and what the owner must do once it was readable. Names are scored by src/risk/sensitive-names.ts
 * (each name rule carries its `dataClass`: one rule per name, never a second scorer); content found by --sample maps
 * here by secret pattern (`contentPatterns`); item kinds that are a class by themselves map by `kinds`.
 */
export interface DataClass {
  id: DataClassId;
  /** Plural noun phrase for reports. */
  label: string;
  /** Keys accepted in an inventory `retention:` map (the id always is). */
  retentionKeys: readonly string[];
  /** Item kinds that are this class whatever their name (a `model` listed by an inference server is weights). */
  kinds?: readonly DataKind[];
  /** Response: what to do about this class once it was readable. */
  respond: string;
  /** Response: whose data it is (for "which users' data was readable"). */
  whose: string;
}

export const dataClasses: readonly DataClass[] = [
  {
    id: 'credentials',
    label: 'credentials and API keys',
    retentionKeys: ['credentials', 'secrets', 'keys', 'tokens', 'sessions'],
    respond: 'rotate every credential and API key the store held, and revoke sessions and tokens',
    whose: 'the accounts and services those credentials unlock',
  },
  {
    id: 'chat',
    label: 'chat and prompt histories',
    retentionKeys: ['chat', 'chats', 'prompts', 'conversations'],
    respond:
      'treat every conversation as disclosed: tell the users whose chats were stored, and check them for secrets pasted into prompts',
    whose: 'the end users who chatted',
  },
  {
    id: 'logs',
    label: 'inference and request logs',
    retentionKeys: ['logs', 'requests', 'inference'],
    respond: 'search the logs for keys, tokens and personal data they captured; rotate what they held',
    whose: 'the callers whose requests were logged',
  },
  {
    id: 'embeddings',
    label: 'embeddings',
    retentionKeys: ['embeddings', 'vectors'],
    respond: 'treat the embedded source text as disclosed (embeddings can be inverted to approximate text)',
    whose: 'the authors of the embedded documents',
  },
  {
    id: 'model-weights',
    label: 'model weights and checkpoints',
    retentionKeys: ['models', 'weights', 'checkpoints'],
    kinds: ['model'],
    respond: 'assume the weights were copied; check them for tampering before serving them again',
    whose: 'the model owner (and the data it was trained on)',
  },
  {
    id: 'training-data',
    label: 'training data',
    retentionKeys: ['training', 'datasets'],
    kinds: ['dataset'],
    respond: 'treat the training set as disclosed and check it for poisoning before the next training run',
    whose: 'the people and sources in the training set',
  },
  {
    id: 'personal',
    label: 'personal data',
    retentionKeys: ['personal', 'pii', 'users'],
    respond: 'assess the personal-data breach (notification duties may apply within days)',
    whose: 'the people whose records were stored',
  },
  {
    id: 'payment',
    label: 'payment data',
    retentionKeys: ['payment', 'payments', 'cards'],
    respond: 'tell the payment processor; card data exposure has its own reporting rules',
    whose: 'the card holders and payers',
  },
];

export function dataClassOf(id: string): DataClass | undefined {
  return dataClasses.find((c) => c.id === id);
}

/** Secret patterns found by --sample, mapped to data classes: an e-mail address is personal data, the rest credentials. */
export function classOfSecretPattern(pattern: string): DataClassId {
  return pattern === 'email' ? 'personal' : 'credentials';
}

/** Data classes of one readable item, from its name (last segment), its fields and its kind. */
export function classesOfItem(item: Pick<DataItem, 'name' | 'kind' | 'fields'>): DataClassId[] {
  const out = new Set<DataClassId>();
  const base = item.name.split('.').pop() ?? item.name;
  for (const n of [base, ...(item.fields ?? [])]) for (const h of scoreName(n)) if (h.dataClass) out.add(h.dataClass);
  for (const c of dataClasses) if (c.kinds?.includes(item.kind)) out.add(c.id);
  return order([...out]);
}

export interface DataClassHit {
  id: DataClassId;
  /** Items (or `sample`) that showed it, capped at five. */
  where: string[];
  /** `name`: names and kinds only; `content`: found in sampled values (--sample). */
  from: 'name' | 'content' | 'both';
}

function order(ids: DataClassId[]): DataClassId[] {
  return dataClasses.map((c) => c.id).filter((id) => ids.includes(id));
}

/** Every data class in what was readable, in table order, each with where it showed. */
export function classesOf(data: DataInventory | undefined): DataClassHit[] {
  if (!data) return [];
  const found = new Map<DataClassId, DataClassHit>();
  const add = (id: DataClassId, where: string, from: 'name' | 'content') => {
    const hit = found.get(id);
    if (!hit) return void found.set(id, { id, where: [where], from });
    if (hit.where.length < 5 && !hit.where.includes(where)) hit.where.push(where);
    if (hit.from !== from) hit.from = 'both';
  };
  for (const item of data.items) for (const id of classesOfItem(item)) add(id, item.name, 'name');
  for (const s of data.sample?.secrets ?? [])
    add(classOfSecretPattern(s.pattern), `sampled ${data.sample!.sources.join(', ') || 'values'}`, 'content');
  return order([...found.keys()]).map((id) => found.get(id)!);
}
