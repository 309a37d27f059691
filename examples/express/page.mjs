// "Your app": log in as a sample user; the page hands PostHog's widget (bottom right) the signed
// identity. The identity goes through posthog.initScript, which escapes it for an inline script;
// what the page shows is drawn by public/app.js from one state, so a single-page login and a full
// page load show the same thing.
import { serializeForInlineScript } from 'posthog-conversations';
import { escapeHtml, layout } from './layout.mjs';

export function page({ user, identity, viaProxy, script, nonce, users, apiHost }) {
  const state = {
    user: user ? { name: user.name, userId: user.userId } : null,
    identity: identity ?? null,
    viaProxy,
    users: Object.fromEntries(Object.entries(users).map(([key, u]) => [key, u.name])),
  };
  const mode = (via, label) =>
    `<button name="via" value="${via}" class="secondary${viaProxy === (via === 'proxy') ? ' current' : ''}">${label}</button>`;
  const body = `
  <section class="card">
    <h1>Support widget with a verified identity</h1>
    <p id="who"></p>
    <div class="row" id="login"></div>
    <div class="row" id="logout" hidden>
      <form method="post" action="/logout"><button>Log out</button></form>
      <button id="spa-logout" class="secondary">Log out without reloading</button>
    </div>
    <p class="hint">Write in the widget (bottom right), answer from the <a href="/inbox">support inbox</a> (or see both <a href="/both">side by side</a>), and open this page in a second browser as the same user: the conversation is there too.</p>
  </section>
  <section class="card">
    <h2>Signed for this page</h2>
    <div id="signed"></div>
    <form method="post" action="/mode" class="row mode"><span class="hint">The widget talks to:</span>${mode('direct', 'PostHog, with the hash in the page')}${mode('proxy', "this app's /ingest proxy, no hash in the page")}</form>
  </section>
  <script type="application/json" id="demo-state">${serializeForInlineScript(state)}</script>
  <script nonce="${nonce}" src="/app.js" defer></script>`;
  const head = `<script nonce="${nonce}" src="${escapeHtml(apiHost)}/static/array.js"></script>\n  ${script}`;
  return layout({ title: 'Your app', active: 'app', nonce, head, body });
}
