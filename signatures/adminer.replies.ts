import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Adminer 4.8.1 login and database-selection pages (adminer.php markup: auth[password], the logout form)';

export default defineReplies({
  signature: 'adminer',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '4.8.1',
      replies: [
        {
          path: '/adminer.php',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!DOCTYPE html><html lang="en" dir="ltr"><meta charset="utf-8"><title>Select database - Adminer</title>
<body class="ltr nojs"><h1><a href='https://www.adminer.org/' target="_blank" rel="noreferrer noopener" id='h1'>Adminer</a> <span class="version">4.8.1</span></h1>
<div id='content'><h2>Select database</h2><form action='' method='post'><table cellspacing='0' class='checkable'>
<tr><td><a href='?server=db&amp;username=app&amp;db=shop'>shop</a></table></form>
<form action='' method='post'><p class='logout'><input type='submit' name='logout' value='Logout' id='logout'></form></div></body></html>`,
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/adminer.php',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!DOCTYPE html><html lang="en" dir="ltr"><meta charset="utf-8"><title>Login - Adminer</title>
<body class="ltr nojs"><h1><a href='https://www.adminer.org/' target="_blank" rel="noreferrer noopener" id='h1'>Adminer</a> <span class="version">4.8.1</span></h1>
<form action='' method='post'><table cellspacing="0" class="layout"><tr><th>System<td><select name='auth[driver]'><option value="server" selected>MySQL</select>
<tr><th>Server<td><input name="auth[server]" value="" title="hostname[:port]" placeholder="localhost" autocapitalize="off">
<tr><th>Username<td><input name="auth[username]" id="username" value="" autocomplete="username" autocapitalize="off">
<tr><th>Password<td><input type="password" name="auth[password]" autocomplete="current-password">
</table><p><input type='submit' value='Login'></form></body></html>`,
          source,
        },
      ],
    },
  },
});
