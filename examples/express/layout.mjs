// The demo's page shell: the three views as tabs, one stylesheet served from this folder (no CDN).
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TABS = [
  ['/', 'app', 'Your app'],
  ['/inbox', 'inbox', 'Support inbox'],
  ['/sdk', 'sdk', 'What the SDK did'],
];

/** A whole page: `head` goes into <head> (scripts carry the response's nonce), `body` into <main>. */
export function layout({ title, active, head = '', body }) {
  const tabs = TABS.map(
    ([href, id, label]) =>
      `<a href="${href}" class="tab${id === active ? ' active' : ''}"${id === active ? ' aria-current="page"' : ''}>${label}</a>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · posthog-conversations demo</title>
  <link rel="stylesheet" href="/demo.css">
  ${head}
</head>
<body>
  <header><span class="brand">posthog-conversations <small>demo</small></span><nav>${tabs}</nav></header>
  <main>${body}</main>
</body>
</html>`;
}

/** Sends a view whose browser code is one file of public/, loaded under the response's CSP nonce. */
export function sendView(res, { title, active, script, body }) {
  const head = script ? `<script nonce="${res.locals.cspNonce}" src="${script}" defer></script>` : '';
  res.send(layout({ title, active, head, body }));
}
