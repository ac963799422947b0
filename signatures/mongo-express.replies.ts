import { defineReplies } from '../src/http-catalog/replies.js';

const home = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Home - Mongo Express</title><link href="/public/css/bootstrap.min.css" rel="stylesheet"></head>
<body>
<div class="navbar"><a class="navbar-brand" href="/">Mongo Express</a></div>
<h1 id="pageTitle">Databases</h1>
<table class="table">
<tr><td><a href="/db/admin/">admin</a></td><td>40 KB</td></tr>
<tr><td><a href="/db/orders/">orders</a></td><td>1.2 GB</td></tr>
<tr><td><a href="/db/users/">users</a></td><td>88 MB</td></tr>
</table>
</body></html>`;

export default defineReplies({
  signature: 'mongo-express',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', 'x-powered-by': 'Express' },
          body: home,
          source:
            'https://github.com/mongo-express/mongo-express/blob/master/lib/views/index.html (mongo-express 1.0: title "Home - Mongo Express", /db/<name>/ links), ME_CONFIG_BASICAUTH=false',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="Authorization Required"', 'content-type': 'text/plain; charset=utf-8' },
          body: 'Unauthorized',
          source:
            'https://github.com/mongo-express/mongo-express/blob/master/lib/router.js (mongo-express 1.0: express-basic-auth with challenge: true)',
        },
      ],
    },
  },
});
