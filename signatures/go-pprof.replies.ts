import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Go net/http/pprof index page (Types of profiles available)';

export default defineReplies({
  signature: 'go-pprof',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/debug/pprof/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<html>
<head>
<title>/debug/pprof/</title>
</head>
<body>
/debug/pprof/
<br>
<p>Set debug=1 as a query parameter to export in legacy text format</p>
<br>
Types of profiles available:
<table>
<thead><td>Count</td><td>Profile</td></thead>
<tr><td>12</td><td><a href='allocs?debug=1'>allocs</a></td></tr>
<tr><td>9</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>
<tr><td>12</td><td><a href='heap?debug=1'>heap</a></td></tr>
<tr><td>0</td><td><a href='profile?debug=1'>profile</a></td></tr>
</table>
</body>
</html>
`,
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/debug/pprof/',
          status: 403,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: `Forbidden
`,
          source,
        },
      ],
    },
  },
});
