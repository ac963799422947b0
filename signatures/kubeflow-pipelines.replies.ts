import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const spec = 'https://www.kubeflow.org/docs/components/pipelines/reference/api/kubeflow-pipeline-api-spec/ (KFP 2.5, v2beta1)';
const healthz = (multi: boolean) => ({
  status: 200,
  headers: json,
  body: { commit_sha: '4b9d3a7e1f0c2d6b8a5e9f3c7d1b0a2e4f6c8d0b', tag_name: '2.5.0', multi_user: multi },
  source: 'backend/api/v1beta1/healthz.proto GetHealthzResponse (KFP 2.5)',
});

export default defineReplies({
  signature: 'kubeflow-pipelines',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.5.0',
      data: { items: 4 },
      replies: [
        { method: 'GET', path: '/apis/v1beta1/healthz', ...healthz(false) },
        {
          method: 'GET',
          path: '/apis/v2beta1/pipelines?page_size=1',
          status: 200,
          headers: json,
          body: {
            pipelines: [
              {
                pipeline_id: '7d0e7d2a-0d3c-4f1e-9c8b-3a5b6c7d8e9f',
                display_name: '[Tutorial] Data passing in python components',
                created_at: '2026-11-02T10:11:12Z',
              },
            ],
            total_size: 2,
            next_page_token: 'eyJTb3J0QnlGaWVsZE5hbWUiOiJDcmVhdGVkQXRJblNlYyJ9',
          },
          source: spec,
        },
        {
          method: 'GET',
          path: '/apis/v2beta1/pipelines?page_size=100',
          status: 200,
          headers: json,
          body: {
            pipelines: [
              {
                pipeline_id: '7d0e7d2a-0d3c-4f1e-9c8b-3a5b6c7d8e9f',
                display_name: '[Tutorial] Data passing in python components',
                created_at: '2026-11-02T10:11:12Z',
              },
              { pipeline_id: 'c2a1b3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', display_name: 'fraud-retrain', created_at: '2026-11-20T08:00:00Z' },
            ],
            total_size: 2,
          },
          source: spec,
        },
        {
          method: 'GET',
          path: '/apis/v2beta1/experiments?page_size=100',
          status: 200,
          headers: json,
          body: {
            experiments: [
              {
                experiment_id: 'e1d2c3b4-a5f6-4e7d-8c9b-0a1b2c3d4e5f',
                display_name: 'Default',
                created_at: '2026-11-02T10:00:00Z',
                namespace: '',
                storage_state: 'AVAILABLE',
              },
            ],
            total_size: 1,
          },
          source: spec,
        },
        {
          method: 'GET',
          path: '/apis/v2beta1/runs?page_size=100',
          status: 200,
          headers: json,
          body: {
            runs: [
              {
                run_id: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f',
                experiment_id: 'e1d2c3b4-a5f6-4e7d-8c9b-0a1b2c3d4e5f',
                display_name: 'fraud-retrain 2026-11-30',
                state: 'SUCCEEDED',
                created_at: '2026-11-30T02:00:00Z',
              },
            ],
            total_size: 1,
          },
          source: spec,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/apis/v1beta1/healthz', ...healthz(true) },
        {
          method: 'GET',
          path: '/apis/v2beta1/pipelines?page_size=1',
          status: 403,
          headers: json,
          body: {
            error_message:
              'Failed to authorize with API: Failed to authorize with API: Unauthenticated: Request header error: there is no user identity header.',
            error_details: 'Failed to authorize with API: Unauthenticated: Request header error: there is no user identity header.',
          },
          source: 'backend/src/apiserver/resource/resource_manager.go IsAuthorized (KFP 2.5 multi-user mode)',
        },
      ],
    },
    'secured-istio': {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/apis/v1beta1/healthz',
          status: 302,
          headers: { location: '/oauth2/start?rd=%2Fapis%2Fv1beta1%2Fhealthz', 'content-type': 'text/html; charset=utf-8' },
          body: '<a href="/oauth2/start?rd=%2Fapis%2Fv1beta1%2Fhealthz">Found</a>.\n',
          source: 'kubeflow/manifests common/oauth2-proxy (Kubeflow 1.10): unauthenticated requests are redirected to the login',
        },
        {
          method: 'GET',
          path: '/apis/v2beta1/pipelines?page_size=1',
          status: 302,
          headers: { location: '/oauth2/start?rd=%2Fapis%2Fv2beta1%2Fpipelines', 'content-type': 'text/html; charset=utf-8' },
          body: '<a href="/oauth2/start?rd=%2Fapis%2Fv2beta1%2Fpipelines">Found</a>.\n',
          source: 'kubeflow/manifests common/oauth2-proxy (Kubeflow 1.10)',
        },
      ],
    },
  },
});
