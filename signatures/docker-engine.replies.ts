import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'Docker Engine API reference (SystemVersion, SystemInfo; a /version reply recorded over the unix socket) and the authz plugin docs ("authorization denied by plugin")';

export default defineReplies({
  signature: 'docker-engine',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '24.0.7',
      fallback: {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { message: 'page not found' },
        source,
      },
      replies: [
        {
          path: '/version',
          status: 200,
          headers: { 'content-type': 'application/json', 'api-version': '1.43', server: 'Docker/24.0.7 (linux)' },
          body: {
            Version: '24.0.7',
            ApiVersion: '1.43',
            MinAPIVersion: '1.12',
            GitCommit: '311b9ff',
            GoVersion: 'go1.20.10',
            Os: 'linux',
            Arch: 'amd64',
            KernelVersion: '6.1.0-13-amd64',
            BuildTime: '2023-10-26T09:08:02.000000000+00:00',
          },
          source,
        },
        {
          path: '/info',
          status: 200,
          headers: { 'content-type': 'application/json', 'api-version': '1.43' },
          body: {
            ID: 'ABCD:EFGH',
            Containers: 5,
            ContainersRunning: 3,
            Images: 12,
            ServerVersion: '24.0.7',
            KernelVersion: '6.1.0-13-amd64',
            OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
            Name: 'build-host',
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: {
          message: 'authorization denied by plugin opa-docker-authz: request rejected by administrative policy',
        },
        source,
      },
      replies: [],
    },
  },
});
