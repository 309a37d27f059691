// "Side by side": the user's page (with PostHog's widget) and the support inbox in one view, so a
// message and its answer can be followed on both sides at once. Same origin: same session cookie.
import express from 'express';
import { sendView } from './layout.mjs';

export function bothView() {
  const router = express.Router();
  router.get('/both', (_req, res) =>
    sendView(res, {
      title: 'Side by side',
      active: 'both',
      body: `<section class="both">
        <figure><figcaption>Your app (the user's browser)</figcaption><iframe id="app-frame" src="/" title="Your app"></iframe></figure>
        <figure><figcaption>Support inbox (your team)</figcaption><iframe id="inbox-frame" src="/inbox" title="Support inbox"></iframe></figure>
      </section>`,
    }),
  );
  return router;
}
