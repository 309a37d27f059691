// A CommonJS app using the installed package through require().
const { computeIdentityHash, createClient } = require('posthog-conversations');
const { identityFor } = require('posthog-conversations/identity');
const { verifyWebhook } = require('posthog-conversations/webhooks');
const { startEmulator } = require('posthog-conversations/testing');
const { posthogIdentity: express } = require('posthog-conversations/express');
const { posthogIdentity: hono } = require('posthog-conversations/hono');
const { posthogConversations } = require('posthog-conversations/fastify');

const loaded = [createClient, verifyWebhook, startEmulator, express, hono, posthogConversations].every((f) => typeof f === 'function');
console.log(
  JSON.stringify({ loaded, hash: computeIdentityHash('user_123', 'phs_s'), identity: identityFor('user_123', { secret: 'phs_s' }) }),
);
