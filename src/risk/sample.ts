import { isEaError } from '../errors.js';
import type { HttpRequest } from '../net/http.js';
import type { ProbeContext } from '../probe.js';
import type { DataItem, DataSample } from '../types.js';
import { scanSecrets } from './scan.js';
import { looksSensitive } from './sensitive-names.js';

/**
 * Opt-in sampling shared by every probe: up to ctx.sample.sources sensitive-looking items of `kind`, largest first,
 * each read over HTTP by `request` and decoded by `decode`. Values are scanned for secrets and dropped: only counts
 * and redacted fingerprints leave. A source that fails marks the sample truncated; an interrupt still stops the run.
 */
export async function sampleSources(
  ctx: ProbeContext,
  items: readonly DataItem[],
  kind: DataItem['kind'],
  nameOf: (item: DataItem) => string,
  request: (item: DataItem) => HttpRequest,
  decode: (text: string) => string[][],
): Promise<DataSample> {
  const targets = items
    .filter((i) => i.kind === kind && looksSensitive(nameOf(i), i.fields))
    .sort((a, b) => (b.rows ?? 0) - (a.rows ?? 0))
    .slice(0, ctx.sample.sources);
  const values: string[] = [];
  let rows = 0;
  let truncated = false;
  for (const t of targets) {
    try {
      const res = await ctx.http(request(t));
      if (res.status !== 200) continue;
      if (res.truncated) truncated = true;
      const decoded = decode(res.text).slice(0, ctx.sample.rows);
      rows += decoded.length;
      for (const row of decoded) values.push(...row);
    } catch (err) {
      if (isEaError(err, 'EA_ABORTED')) throw err;
      truncated = true;
    }
  }
  return { rows, sources: targets.map((t) => t.name), secrets: scanSecrets(values), ...(truncated ? { truncated } : {}) };
}
