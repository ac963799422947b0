import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'mobz/elasticsearch-head index.html (<title>elasticsearch-head</title>) served by its grunt server on 9100; secured = an auth_basic proxy in front';

export default defineReplies({
  signature: 'elasticsearch-head',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!DOCTYPE html>
<html>
	<head>
		<meta charset="UTF-8">
		<title>elasticsearch-head</title>
		<link rel="stylesheet" href="_site/base/reset.css">
		<script src="_site/app.js"></script>
	</head>
	<body></body>
</html>
`,
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="es-head"', 'content-type': 'text/html' },
        body: '<html><head><title>401 Authorization Required</title></head><body></body></html>',
        source,
      },
      replies: [],
    },
  },
});
