import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'apache-server-status',
  cases: {
    exposed: {
      expect: 'exposed',
      version: /^2\.4\.\d+/,
      fallback: {
        status: 404,
        headers: { server: 'Apache/2.4.71 (Debian)', 'content-type': 'text/html; charset=iso-8859-1' },
        body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`,
        source: 'recorded from the real server: Debian apache (scripts/servers, open variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'apache', variant: 'open', port: 8080 },
      replies: [
        {
          path: '/server-status?auto',
          status: 200,
          headers: { server: 'Apache/2.4.71 (Debian)', 'content-type': 'text/plain; charset=ISO-8859-1' },
          body: `127.0.0.90
ServerVersion: Apache/2.4.71 (Debian)
ServerMPM: event
Server Built: 2026-11-12T08:58:41
CurrentTime: Tuesday, 01-Dec-2026 12:02:49 UTC
RestartTime: Tuesday, 01-Dec-2026 12:02:49 UTC
ParentServerConfigGeneration: 1
ParentServerMPMGeneration: 0
ServerUptimeSeconds: 0
ServerUptime:
Load1: 7.59
Load5: 3.71
Load15: 1.59
Total Accesses: 1
Total kBytes: 3
Total Duration: 0
CPUUser: .01
CPUSystem: 0
CPUChildrenUser: 0
CPUChildrenSystem: 0
CPULoad: 0.e+79
Uptime: 0
BytesPerReq: 3072
DurationPerReq: 0
BusyWorkers: 1
GracefulWorkers: 0
IdleWorkers: 15
Processes: 1
Stopping: 0
ConnsTotal: 0
ConnsAsyncWaitIO: 0
ConnsAsyncWriting: 0
ConnsAsyncKeepAlive: 0
ConnsAsyncClosing: 0
Scoreboard: __W_____________
`,
          source: 'recorded from the real server: Debian apache (scripts/servers, open variant), 2026-12-01',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 404,
        headers: { server: 'Apache/2.4.71 (Debian)', 'content-type': 'text/html; charset=iso-8859-1' },
        body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`,
        source:
          'recorded from the real server: Debian apache (scripts/servers, protected variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'apache', variant: 'protected', port: 8080 },
      replies: [
        {
          path: '/server-status?auto',
          status: 401,
          headers: {
            server: 'Apache/2.4.71 (Debian)',
            'www-authenticate': 'Basic realm="status"',
            'content-type': 'text/html; charset=iso-8859-1',
          },
          body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>401 Unauthorized</title>
</head><body>
<h1>Unauthorized</h1>
<p>This server could not verify that you
are authorized to access the document
requested.  Either you supplied the wrong
credentials (e.g., bad password), or your
browser doesn't understand how to supply
the credentials required.</p>
</body></html>
`,
          source: 'recorded from the real server: Debian apache (scripts/servers, protected variant), 2026-12-01',
        },
      ],
    },
  },
});
