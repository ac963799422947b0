import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const expPath = '/api/2.0/mlflow/experiments/search?max_results=100';
const unauth = {
  status: 401,
  headers: { 'content-type': 'text/html; charset=utf-8', 'www-authenticate': 'Basic realm="mlflow"' },
  body: 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.',
  source: 'mlflow/server/auth/__init__.py make_basic_auth_response (MLflow 3.5, --app-name basic-auth)',
};

export default defineReplies({
  signature: 'mlflow',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.5.1',
      data: { items: 3 },
      replies: [
        {
          method: 'GET',
          path: expPath,
          status: 200,
          headers: json,
          body: {
            experiments: [
              {
                experiment_id: '412785921736413520',
                name: 'churn-xgboost',
                artifact_location: 's3://ml-artifacts/412785921736413520',
                lifecycle_stage: 'active',
                last_update_time: 1764500000000,
                creation_time: 1760000000000,
                tags: [{ key: 'team', value: 'growth' }],
              },
              {
                experiment_id: '0',
                name: 'Default',
                artifact_location: 'mlflow-artifacts:/0',
                lifecycle_stage: 'active',
                last_update_time: 1759000000000,
                creation_time: 1759000000000,
              },
            ],
          },
          source: 'https://mlflow.org/docs/latest/rest-api.html#search-experiments (MLflow 3.5)',
        },
        {
          method: 'GET',
          path: '/version',
          status: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: '3.5.1',
          source: 'mlflow/server/handlers.py /version (MLflow 3.5)',
        },
        {
          method: 'GET',
          path: '/api/2.0/mlflow/registered-models/search?max_results=100',
          status: 200,
          headers: json,
          body: {
            registered_models: [
              {
                name: 'churn-model',
                creation_timestamp: 1761000000000,
                last_updated_timestamp: 1764000000000,
                latest_versions: [
                  {
                    name: 'churn-model',
                    version: '3',
                    current_stage: 'None',
                    source: 'models:/m-5e1a',
                    run_id: 'a1b2c3d4e5f6',
                    status: 'READY',
                  },
                ],
              },
            ],
          },
          source: 'https://mlflow.org/docs/latest/rest-api.html#search-registeredmodels (MLflow 3.5)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: expPath, ...unauth },
        { method: 'GET', path: '/version', ...unauth },
      ],
    },
  },
});
