// The demo's page shell: the views as tabs, one stylesheet served from this folder (no CDN).
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TABS = [
  ['/', 'app', 'Your app'],
  ['/inbox', 'inbox', 'Support inbox'],
  ['/both', 'both', 'Side by side'],
  ['/sdk', 'sdk', 'What the SDK did'],
];

/**
 * A whole page: `head` goes into <head> (scripts carry the response's `nonce`), `body` into <main>.
 * Inside the side-by-side view's frames, frame.js drops the header.
 */
export function layout({ title, active, nonce, head = '', body }) {
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
  <script nonce="${nonce}" src="/frame.js"></script>
  ${head}
</head>
<body class="view-${active}">
  <header><span class="brand">posthog-conversations <small>demo</small></span><nav>${tabs}</nav></header>
  <main>${body}</main>
</body>
</html>`;
}

/** Sends a view whose browser code is one file of public/, loaded under the response's CSP nonce. */
export function sendView(res, { title, active, script, body }) {
  const nonce = res.locals.cspNonce;
  const head = script ? `<script nonce="${nonce}" src="${script}" defer></script>` : '';
  res.send(layout({ title, active, nonce, head, body }));
}
