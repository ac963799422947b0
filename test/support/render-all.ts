import { ReportBuilder } from '../../src/report/model.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderTable } from '../../src/report/table.js';
import { probes } from '../../src/cli/registry.js';
import type { Report } from '../../src/report/schema.js';
import type { Endpoint, EndpointResult, Observation } from '../../src/types.js';

/** One endpoint's observation as a report (redacted and classified by the one ReportBuilder), and every format of it. */
export function reportOf(results: Array<{ endpoint: Endpoint; probe: string; observation: Observation }>): Report {
  const b = new ReportBuilder({ inventory: 'hostile.yaml', failOn: 'high', probes: probes.map((p) => p.meta) });
  const now = new Date();
  const endpoints: EndpointResult[] = results.map(
    (r, i) => b.add(Object.assign({}, r.endpoint, { probe: r.probe }, r.observation, { durationMs: 1 }), i).endpoint,
  );
  return b.finish({ startedAt: now, finishedAt: now, complete: true }, endpoints);
}

export function renderAll(report: Report): Record<string, string> {
  return {
    json: renderJson(report),
    table: renderTable(report, { color: true }),
    markdown: renderMarkdown(report),
    html: renderHtml(report),
    junit: renderJunit(report),
    sarif: renderSarif(report, { probes: probes.map((p) => p.meta) }),
  };
}

export function endpointFor(host: string, port: number, service: string): Endpoint {
  return { host, port, service, asset: host, declaredHost: host, labels: {}, source: { file: 'hostile.yaml', line: 1, column: 1 } };
}
