// "What the SDK did": the identity signed for your last page, the widget's requests to the
// emulator grouped by who sent them, and the webhook deliveries this app's receiver verified.
import express from 'express';
import { sendView } from './layout.mjs';

const MAX_SIGNED = 100;
const MAX_REQUESTS = 300;

/** The view, and `signed(sid, identity, viaProxy)` for the app's pages to record what they signed. */
export function sdkLog({ emulator, deliveries }) {
  const signedBySession = new Map(); // bounded: the newest sessions only
  const router = express.Router();
  router.get('/sdk', (_req, res) =>
    sendView(res, {
      title: 'What the SDK did',
      active: 'sdk',
      script: '/sdk.js',
      body: `<section class="card"><h1>What the SDK did</h1><h2>Signed for your last page</h2><div id="signed"></div></section>
      <section class="card"><h2>The widget's requests</h2><p class="hint">${emulator ? "As the embedded emulator received them, grouped by who sent them (the identity a call claims, which the emulator then checks, or one browser's anonymous session), newest first; each call the widget repeats while it polls is one line with its count." : 'Shown with the embedded emulator only: against PostHog, the widget talks to PostHog directly.'}</p><div id="requests"></div></section>
      <section class="card"><h2>Webhook deliveries verified</h2><p class="hint">Signed by ${emulator ? 'the emulator' : 'PostHog'}, verified by this app's <code>posthogWebhook</code> receiver, each handled once (<code>memoryIdempotencyStore</code>).</p><table id="deliveries"><thead><tr><th>time</th><th>event</th><th>ticket</th><th>webhook-id</th></tr></thead><tbody></tbody></table></section>`,
    }),
  );
  router.get('/sdk.json', (req, res) => {
    const widgetRequests = (emulator?.requests ?? []).filter((r) => r.widget !== undefined).slice(-MAX_REQUESTS);
    // A session id is what lets an anonymous visitor read their tickets: only its first characters leave the server.
    const requests = widgetRequests.map(({ at, method, path, status, widget }) => ({
      at,
      method,
      path,
      status,
      distinctId: widget.distinctId,
      sessionId: widget.sessionId?.slice(0, 8),
    }));
    res
      .set('cache-control', 'no-store')
      .json({ signed: signedBySession.get(req.sid) ?? null, requests, deliveries: [...deliveries].reverse() });
  });
  return {
    router,
    signed(sid, identity, viaProxy) {
      if (!sid) return;
      signedBySession.delete(sid);
      signedBySession.set(sid, { at: new Date(), identity, viaProxy });
      if (signedBySession.size > MAX_SIGNED) signedBySession.delete(signedBySession.keys().next().value);
    },
  };
}
