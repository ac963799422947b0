import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'phpMyAdmin 5.2 login page (pma_password) and home page (pma_navigation) markup';

export default defineReplies({
  signature: 'phpmyadmin',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '5.2.1',
      replies: [
        {
          path: '/phpmyadmin/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!doctype html><html lang="en" dir="ltr"><head><title>localhost / db | phpMyAdmin 5.2.1</title>
<link rel="stylesheet" href="./themes/pmahomme/css/theme.css?v=5.2.1"></head><body>
<div id="pma_navigation" data-config-navigation-width="240"><div id="pma_navigation_tree" class="list_container">
<a href="index.php?route=/server/databases&amp;server=1">Databases</a></div></div>
<div id="maincontainer"><h2>General settings</h2><a href="index.php?route=/user-password">Change password</a></div></body></html>`,
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/phpmyadmin/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!doctype html><html lang="en" dir="ltr"><head><title>phpMyAdmin</title>
<link rel="stylesheet" href="./themes/pmahomme/css/theme.css?v=5.2.1"></head><body class="loginform">
<form method="post" id="login_form" action="index.php?route=/" name="login_form" class="disableAjax hide js-show">
<input type="text" name="pma_username" id="input_username" value="" class="form-control" autocomplete="username">
<input type="password" name="pma_password" id="input_password" value="" class="form-control" autocomplete="current-password">
<input class="btn btn-primary" value="Log in" type="submit" id="input_go"></form></body></html>`,
          source,
        },
      ],
    },
  },
});
