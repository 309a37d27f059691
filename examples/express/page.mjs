// The example's only page. Everything user-controlled is escaped; the identity goes through
// posthog.initScript, which escapes it for an inline script.
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function page({ user, script, nonce, users, apiHost }) {
  const loginForms = Object.entries(users)
    .map(([key, u]) => `<form method="post" action="/login"><button name="user" value="${key}">Log in as ${escapeHtml(u.name)}</button></form>`)
    .join('');
  return `<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>posthog-conversations: Express example</title>
  <script nonce="${nonce}" src="${escapeHtml(apiHost)}/static/array.js"></script>
  ${script}
</head>
<body>
  <h1>Support widget with a verified identity</h1>
  ${
    user
      ? `<p id="who">Logged in as <b>${escapeHtml(user.name)}</b> (${escapeHtml(user.userId)}). The widget shows your tickets on every browser.</p>
         <form method="post" action="/logout"><button>Log out</button></form>`
      : `<p id="who">Not logged in: the widget uses this browser's anonymous session.</p>${loginForms}
         <p>Single-page login: <button id="spa-login" data-user="ada">Log in as Ada without reloading</button></p>`
  }
  <button id="spa-logout">Log out without reloading</button>
  <script nonce="${nonce}">
    const ph = () => window.posthog;
    document.getElementById('spa-login')?.addEventListener('click', async (event) => {
      const res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: event.target.dataset.user }) });
      const { name, posthogIdentity } = await res.json();
      ph()?.setIdentity?.(posthogIdentity.identity_distinct_id, posthogIdentity.identity_hash);
      document.getElementById('who').textContent = 'Logged in as ' + name + ' (without a reload).';
    });
    document.getElementById('spa-logout').addEventListener('click', async () => {
      await fetch('/logout', { method: 'POST', headers: { accept: 'application/json' } });
      ph()?.clearIdentity?.();
      document.getElementById('who').textContent = 'Logged out: the widget is back on the anonymous session.';
    });
  </script>
</body>
</html>`;
}
