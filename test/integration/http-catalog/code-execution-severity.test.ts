// Issue 22: an open Ray dashboard (job submission = code execution) was reported high, not critical. A catalog
// product whose typed assessment says code execution must stay critical in the report, whatever was measured:
// classify's "listing without data volume" rule applies to data stores, and these signatures declare
// `impact: 'code-execution'`. Every exposed case of every such signature, replayed on 127.0.0.126, port 0.
import { afterAll, describe, expect, it } from 'vitest';
import { signatures } from '../../../signatures/index.js';
import { classify } from '../../../src/classify/classify.js';
import { signatureProbes } from '../../../src/http-catalog/index.js';
import type { EndpointResult } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startReplayServer } from '../../support/replay-server.js';
import { allReplies } from '../../support/replies.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());
const probes = new Map(signatureProbes(signatures).map((p) => [p.meta.id, p]));
const codeExecution = signatures.filter((s) => s.impact === 'code-execution').map((s) => s.id);

const rows = allReplies
  .filter((r) => codeExecution.includes(r.signature))
  .flatMap((r) =>
    Object.entries(r.cases)
      .filter(([, c]) => c.expect === 'exposed')
      .map(([name, c]) => [r.signature, name, c] as const),
  );

describe('code-execution products stay critical in the report', () => {
  it('Ray, Node-RED and the AI products that run code declare code-execution impact', () => {
    expect(codeExecution).toEqual(
      expect.arrayContaining(['ray', 'node-red', 'comfyui', 'flowise', 'langflow', 'kubeflow-pipelines', 'n8n']),
    );
  });

  it.each(rows)('%s %s: finding severity critical', async (id, _name, c) => {
    const probe = probes.get(id)!;
    const s = await startReplayServer('127.0.0.126', 0, c);
    try {
      const { observation: o } = await harness.probe(id, s.host, s.port, { probes: [probe] });
      expect(o.status).toBe('exposed');
      const result = {
        ...o,
        host: s.host,
        port: s.port,
        service: id,
        probe: id,
        asset: 'a',
        declaredHost: s.host,
        labels: {},
      } as unknown as EndpointResult;
      const finding = classify(result, probe.meta);
      expect(finding?.severity, finding?.reason).toBe('critical');
      // The reason is the signature's own assessment where it has one (Livy: "the session list …"), else classify's
      // code-execution wording: what matters here is that nothing measured downgrades the severity.
      expect(finding?.reason).toBeTruthy();
    } finally {
      await s.close();
    }
  });
});
