// An ESM app using the installed package: every entry that needs no framework loads, and signs.
import { computeIdentityHash, createClient } from 'posthog-conversations';
import { identityFor } from 'posthog-conversations/identity';
import { verifyWebhook } from 'posthog-conversations/webhooks';
import { startEmulator } from 'posthog-conversations/testing';
import { posthogIdentity as express } from 'posthog-conversations/express';
import { posthogIdentity as hono } from 'posthog-conversations/hono';
import { posthogConversations } from 'posthog-conversations/fastify';

const loaded = [createClient, verifyWebhook, startEmulator, express, hono, posthogConversations].every((f) => typeof f === 'function');
console.log(
  JSON.stringify({ loaded, hash: computeIdentityHash('user_123', 'phs_s'), identity: identityFor('user_123', { secret: 'phs_s' }) }),
);
