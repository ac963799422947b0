// Opt-in documented default credentials (LiteLLM sk-1234, Milvus root:Milvus, MLflow admin:password): tried once, only
// when the run opts in, on the signature's declared GET, and reported as their own fact. The replay server accepts
// only the documented credential; the replies reuse the recorded ones of signatures/<id>.replies.ts.
// Address 127.0.0.124, port 0; the --try-default-credentials CLI flag itself is wired elsewhere.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import litellm from '../../../signatures/litellm.js';
import milvus from '../../../signatures/milvus.js';
import mlflow from '../../../signatures/mlflow.js';
import { isForbiddenRequest } from '../../../src/http-catalog/forbidden.js';
import { signatureProbe } from '../../../src/http-catalog/probes.js';
import { runCatalog } from '../../../src/http-catalog/run.js';
import type { Signature } from '../../../src/http-catalog/signature.js';
import { defineProbe, type Probe } from '../../../src/probe.js';
import { createHarness } from '../../support/probe-harness.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
interface Served {
  denied: Answer;
  granted: Answer;
  path: string;
  credential: string;
}

const cases: Array<[Signature, Served]> = [
  [
    litellm,
    {
      path: '/model/info',
      credential: 'Bearer sk-1234',
      denied: {
        status: 401,
        body: { error: { message: 'Authentication Error, No api key passed in.', type: 'auth_error', param: 'None', code: '401' } },
      },
      granted: {
        status: 200,
        body: { data: [{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o' }, model_info: { id: 'a1' } }] },
      },
    },
  ],
  [
    milvus,
    {
      path: '/v1/vector/collections',
      credential: 'Bearer root:Milvus',
      denied: { status: 401, body: { code: 1800, message: "user hasn't authenticated" } },
      granted: { status: 200, body: { code: 200, data: ['product_docs'] } },
    },
  ],
  [
    mlflow,
    {
      path: '/api/2.0/mlflow/experiments/search?max_results=100',
      credential: `Basic ${Buffer.from('admin:password').toString('base64')}`,
      denied: {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="mlflow"' },
        body: 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.',
      },
      granted: {
        status: 200,
        body: {
          experiments: [{ experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active' }],
        },
      },
    },
  ],
];

async function serve(s: Served, accept: boolean): Promise<{ port: number; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const known = req.url === s.path;
    const a: Answer = !known
      ? { status: 404, body: { error: 'not found' } }
      : accept && req.headers.authorization === s.credential
        ? s.granted
        : s.denied;
    const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': typeof a.body === 'string' ? 'text/plain' : 'application/json', ...(a.headers ?? {}) });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.124', r));
  return { port: (server.address() as AddressInfo).port, requests, close: () => new Promise((r) => server.close(() => r())) };
}

/** The signature's own probe with the opt-in set, as the CLI flag will set it. */
function optedIn(sig: Signature): Probe {
  const base = signatureProbe(sig);
  return defineProbe({
    meta: base.meta,
    run: (target, ctx) => runCatalog([sig], target, { ...ctx, tryDefaultCredentials: true }, sig.product),
  });
}

describe('documented default credentials (opt-in)', () => {
  for (const [sig, s] of cases) {
    it(`${sig.id}: accepted default → auth-required with defaultCredential ${sig.defaultCredentials![0]!.user}`, async () => {
      const srv = await serve(s, true);
      try {
        const { observation: o } = await harness.probe(sig.id, '127.0.0.124', srv.port, { probes: [optedIn(sig)] });
        expect(o.status).toBe('auth-required');
        expect(o.defaultCredential).toEqual({ user: sig.defaultCredentials![0]!.user, source: sig.defaultCredentials![0]!.source });
        expect(srv.requests.filter(isForbiddenRequest)).toEqual([]);
      } finally {
        await srv.close();
      }
    });
    it(`${sig.id}: changed credential → no defaultCredential`, async () => {
      const srv = await serve(s, false);
      try {
        const { observation: o } = await harness.probe(sig.id, '127.0.0.124', srv.port, { probes: [optedIn(sig)] });
        expect(o.status).toBe('auth-required');
        expect(o.defaultCredential).toBeUndefined();
      } finally {
        await srv.close();
      }
    });
    it(`${sig.id}: without the opt-in no credential is ever sent`, async () => {
      const srv = await serve(s, true);
      try {
        const { observation: o } = await harness.probe(sig.id, '127.0.0.124', srv.port, { probes: [signatureProbe(sig)] });
        expect(o.status).toBe('auth-required');
        expect(o.defaultCredential).toBeUndefined();
        expect(srv.requests.filter((r) => r.endsWith(s.path)).length).toBe(1);
      } finally {
        await srv.close();
      }
    });
  }
});
