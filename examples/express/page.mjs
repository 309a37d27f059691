// "Your app": log in as a sample user; the page hands PostHog's widget (bottom right) the signed
// identity. Everything user-controlled is escaped; the identity goes through posthog.initScript,
// which escapes it for an inline script.
import { escapeHtml, layout } from './layout.mjs';

/** The card showing what was signed for this page (the same fields the init script carries). */
function signedCard(identity) {
  if (!identity) return "<p>You are not logged in, so nothing was signed: the widget uses this browser's anonymous session.</p>";
  const rows = [
    ['identity_distinct_id', identity.identity_distinct_id],
    ['identity_hash', identity.identity_hash],
    ['identity_email', identity.identity_email],
    ['identity_hash_email', identity.identity_hash_email],
    [
      'identity_exp_email',
      identity.identity_exp_email && `${identity.identity_exp_email} (${new Date(identity.identity_exp_email * 1000).toISOString()})`,
    ],
  ].filter(([, value]) => value !== undefined);
  return `<dl class="fields">${rows.map(([name, value]) => `<dt>${name}</dt><dd><code>${escapeHtml(value)}</code></dd>`).join('')}</dl>`;
}

export function page({ user, identity, script, nonce, users, apiHost }) {
  const loginForms = Object.entries(users)
    .map(
      ([key, u]) =>
        `<form method="post" action="/login"><button name="user" value="${key}">Log in as ${escapeHtml(u.name)}</button></form>`,
    )
    .join('');
  const body = `
  <section class="card">
    <h1>Support widget with a verified identity</h1>
    ${
      user
        ? `<p id="who">Logged in as <b>${escapeHtml(user.name)}</b> (${escapeHtml(user.userId)}). The widget shows your tickets on every browser.</p>
           <form method="post" action="/logout"><button>Log out</button></form>`
        : `<p id="who">Not logged in: the widget uses this browser's anonymous session.</p><div class="row">${loginForms}</div>
           <p>Single-page login: <button id="spa-login" data-user="ada">Log in as Ada without reloading</button></p>`
    }
    <p><button id="spa-logout" class="secondary">Log out without reloading</button></p>
    <p class="hint">Write in the widget (bottom right), answer from the <a href="/inbox">support inbox</a>, and open this page in a second browser as the same user: the conversation is there too.</p>
  </section>
  <section class="card">
    <h2>Signed for this page</h2>
    ${signedCard(identity)}
  </section>
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
  </script>`;
  const head = `<script nonce="${nonce}" src="${escapeHtml(apiHost)}/static/array.js"></script>\n  ${script}`;
  return layout({ title: 'Your app', active: 'app', head, body });
}
