// npm run bench: verifying one webhook delivery, against the standardwebhooks library's
// Webhook.verify with its key prepared once (new Webhook(secret) outside the loop), same run.
import { Webhook } from 'standardwebhooks';
import { createWebhookVerifier, verifyWebhook } from '../dist/webhooks/index.js';
import { measure, report } from './harness.mjs';

const SECRET = `whsec_${Buffer.from('bench-webhook-signing-key-32-bytes!').toString('base64')}`;
const body = JSON.stringify({
  event: {
    uuid: '0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    event: '$conversation_message_received',
    distinct_id: 'user_ada',
    timestamp: '2026-12-01T00:00:00Z',
    properties: {
      ticket_id: '0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
      ticket_number: 42,
      channel_source: 'widget',
      channel_detail: null,
      status: 'open',
      priority: null,
      message_id: 'm',
      message_content: 'My order has not arrived yet, can you help?'.repeat(4),
      author_type: 'customer',
      customer_name: null,
      customer_email: 'ada@example.com',
    },
  },
  person: null,
});
const id = 'msg_2pYbQ8nX';
const now = new Date();
const webhook = new Webhook(SECRET);
const headers = {
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  'webhook-signature': webhook.sign(id, now, body),
};
const verifier = createWebhookVerifier({ secret: SECRET });

// Same answer before any timing.
if (JSON.stringify(webhook.verify(body, headers)) !== JSON.stringify(verifyWebhook({ payload: body, headers, secret: SECRET }).body))
  throw new Error('cases disagree');
if (verifier.verify(body, headers).event?.event !== '$conversation_message_received') throw new Error('the prepared verifier disagrees');

const results = await measure({
  'standardwebhooks Webhook.verify (prepared)': () => webhook.verify(body, headers),
  'verifyWebhook (secret each call)': () => verifyWebhook({ payload: body, headers, secret: SECRET }),
  'createWebhookVerifier().verify (prepared)': () => verifier.verify(body, headers),
});
report(`verifying one delivery of ${body.length} bytes`, results, 'standardwebhooks Webhook.verify (prepared)', {
  'createWebhookVerifier().verify (prepared)': 2,
});
