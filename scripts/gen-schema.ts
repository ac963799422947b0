// The JSON Schemas in schema/ (written by `npm run gen`, scripts/gen.ts).
import { z } from 'zod';
import { dataClasses } from '../src/risk/data-classes.js';
import { inventorySchema } from '../src/inventory/schema.js';
import { services } from '../src/cli/registry.js';
import { reportFileSchema, schemaVersion } from '../src/report/schema.js';

/** The published JSON Schema of the report as written to a file (compact rows included), generated from the zod model the code uses. */
export function reportJsonSchema(): string {
  const schema = z.toJSONSchema(reportFileSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return `${JSON.stringify({ $id: `https://exposure-audit.example/schema/report-${schemaVersion}.json`, title: 'exposure-audit report', ...schema }, null, 2)}\n`;
}

type Json = { [k: string]: unknown };

/**
 * The JSON Schema of targets.yaml for editors (yaml-language-server: completion and checks while typing), generated
 * from the same zod model the loader uses (io: 'input': what a person writes, before durations become numbers).
 * Refinements have no JSON Schema form, so two are restated where they matter for completion: service names (an
 * `enum` on `services` keys and on suppressions' `service`) and descriptions. The loader stays the authority: it also
 * checks hosts, CIDR sizes and duplicates, which a schema cannot.
 */
export function targetsJsonSchema(): string {
  const schema = z.toJSONSchema(inventorySchema(services), { target: 'draft-2020-12', io: 'input' }) as Json;
  const props = schema.properties as Json;
  const targets = (props.targets as Json).items as Json;
  const t = targets.properties as Json;
  (t.host as Json).description = 'an IP address, a host name or a CIDR (127.0.0.8/30)';
  (t.name as Json).description = 'asset name, used in reports and finding fingerprints';
  const svc = t.services as Json;
  svc.description = "service -> ports ([] or null = that service's default ports); absent = every service on its default ports";
  svc.propertyNames = { type: 'string', enum: [...services] };
  (t.labels as Json).description = 'free-form labels; `exposure: internet` raises severity';
  (t.expect as Json).description = 'declared intent: a finding when the endpoint is otherwise';
  // Retention keys: data classes and their aliases (src/risk/data-classes.ts), or `all`; values 30d, 12w, 6mo, 1y.
  const retentionKeys = ['all', ...dataClasses.flatMap((c) => [c.id, ...c.retentionKeys.filter((k) => k !== c.id)])];
  for (const r of [t.retention as Json, ((props.defaults as Json).properties as Json).retention as Json]) {
    r.description = 'longest a data class may be kept, e.g. {chat: 30d, logs: 90d}: older data in an exposed store is its own finding';
    r.propertyNames = { type: 'string', enum: retentionKeys };
  }
  const supp = ((props.suppressions as Json).items as Json).properties as Json;
  supp.service = { ...(supp.service as Json), enum: [...services] };
  return `${JSON.stringify({ $id: 'https://exposure-audit.example/schema/targets.json', title: 'exposure-audit inventory (targets.yaml)', ...schema }, null, 2)}\n`;
}
