import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Consul agent HTTP API docs (GET /v1/agent/self sample) and ACL default-deny error text';

export default defineReplies({
  signature: 'consul',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.16.2',
      replies: [
        {
          path: '/v1/agent/self',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            Config: {
              Datacenter: 'dc1',
              NodeName: 'consul-1',
              NodeID: '9d754d17-d864-b1d3-e758-f3fe25a9874f',
              Revision: '8f6fb1f',
              Server: true,
              Version: '1.16.2',
            },
            DebugConfig: { Bootstrap: true },
            Coord: { Vec: [0, 0], Error: 1.5 },
            Member: { Name: 'consul-1', Addr: '127.0.0.5', Port: 8301, Tags: { dc: 'dc1' }, Status: 1 },
            Meta: {},
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/v1/agent/self',
          status: 403,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: `Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'agent:read' on "consul-1"`,
          source,
        },
      ],
    },
  },
});
