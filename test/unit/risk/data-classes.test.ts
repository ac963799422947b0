import { describe, expect, it } from 'vitest';
import { classesOf, classesOfItem, dataClasses, type DataClassId } from '../../../src/risk/data-classes.js';
import { nameRules } from '../../../src/risk/sensitive-names.js';
import type { DataItem } from '../../../src/types.js';

const table = (name: string, fields: string[] = []): DataItem => ({ kind: 'table', name, fields });

/** Per class: names that must show it, and names that must not (false friends). */
const rows: Array<{ cls: DataClassId; yes: DataItem[]; no: DataItem[] }> = [
  {
    cls: 'credentials',
    yes: [table('app.api_keys'), table('auth.users', ['password_hash']), table('web.sessions'), table('ci.refresh_tokens')],
    no: [table('nlp.tokenizer_config'), table('hw.keyboard'), table('app.page_views')],
  },
  {
    cls: 'chat',
    yes: [table('app.chat_history'), table('llm.prompts'), table('support.conversations'), table('bot.messages')],
    no: [table('app.chatter_stats'), table('app.metrics_daily')],
  },
  {
    cls: 'logs',
    yes: [table('default.log_stream'), table('gw.request_log'), table('llm.inference'), table('api.usage_logs')],
    no: [table('app.catalog'), table('blog.logos')],
  },
  {
    cls: 'embeddings',
    yes: [table('rag.embeddings'), table('search.doc_vectors'), table('qdrant.vector_store')],
    no: [table('geo.vectorized_tiles'), table('app.inventory')],
  },
  {
    cls: 'model-weights',
    yes: [table('ml.checkpoints'), { kind: 'model', name: 'llama3:8b' }, table('hub.safetensors'), table('ft.lora')],
    no: [table('django.modeling_notes'), table('app.weighted_scores')],
  },
  {
    cls: 'training-data',
    yes: [table('ml.training_data'), table('ft.train_set'), { kind: 'dataset', name: 'squad' }, table('rlhf.sft')],
    no: [table('rail.trains_timetable'), table('app.strain')],
  },
  {
    cls: 'personal',
    yes: [table('crm.customers'), table('app.contacts', ['email']), table('hr.staff', ['phone', 'dob'])],
    no: [table('app.metrics'), table('cdn.assets')],
  },
  {
    cls: 'payment',
    yes: [table('shop.payments'), table('shop.orders', ['credit_card']), table('fin.billing')],
    no: [table('shop.cart_items'), table('app.cardinality_stats')],
  },
];

describe('data classes (one table; names scored by sensitive-names)', () => {
  it.each(rows.flatMap((r) => r.yes.map((item) => ({ cls: r.cls, item }))))('$item.name → $cls', ({ cls, item }) => {
    expect(classesOfItem(item)).toContain(cls);
  });

  it.each(rows.flatMap((r) => r.no.map((item) => ({ cls: r.cls, item }))))('$item.name is not $cls', ({ cls, item }) => {
    expect(classesOfItem(item)).not.toContain(cls);
  });

  it('every class has a row above, and every class a name rule points at exists in the table', () => {
    expect(rows.map((r) => r.cls).sort()).toEqual(dataClasses.map((c) => c.id).sort());
    for (const r of nameRules) if (r.dataClass) expect(dataClasses.map((c) => c.id)).toContain(r.dataClass);
  });

  it('a ransom note is a sign, not a data class', () => {
    expect(classesOfItem(table('db.README_TO_RECOVER'))).toEqual([]);
  });

  it('content from --sample: secrets are credentials, e-mail addresses personal data', () => {
    const hits = classesOf({
      items: [table('app.events')],
      totals: {},
      sample: {
        rows: 10,
        sources: ['app.events'],
        secrets: [
          { pattern: 'openai-key', label: 'sk- API keys', meaning: '', count: 2, fingerprints: ['sk-…abcd#12345678'] },
          { pattern: 'email', label: 'email addresses', meaning: '', count: 3, fingerprints: [] },
        ],
      },
    });
    expect(hits.map((h) => [h.id, h.from])).toEqual([
      ['credentials', 'content'],
      ['logs', 'name'],
      ['personal', 'content'],
    ]);
  });

  it('names and content together read `both`; where is capped at five', () => {
    const items = Array.from({ length: 8 }, (_, i) => table(`db${i}.api_keys`));
    const [hit] = classesOf({
      items,
      totals: {},
      sample: { rows: 1, sources: ['db0.api_keys'], secrets: [{ pattern: 'jwt', label: 'JWTs', meaning: '', count: 1, fingerprints: [] }] },
    });
    expect(hit).toMatchObject({ id: 'credentials', from: 'both' });
    expect(hit!.where).toHaveLength(5);
  });
});
