// The names from before PostHog's casing still work in 0.x: each old value name is the very same
// value as its new one (so instanceof, Nest's DI tokens and decorators keep working).
import { describe, expect, it } from 'vitest';
import * as express from '../adapters/express/index.js';
import * as fastify from '../adapters/fastify/index.js';
import * as hono from '../adapters/hono/index.js';
import * as nestjs from '../adapters/nestjs/index.js';
import * as next from '../adapters/next/edge.js'; // the same names as index.ts, without its server-only import
import * as root from '../src/index.js';
import * as identity from '../src/identity/index.js';
import * as webhooks from '../src/webhooks/index.js';
import * as widget from '../src/widget/index.js';

const ENTRIES = { root, identity, webhooks, widget, express, fastify, hono, nestjs, next };

describe('deprecated names (Posthog...) for 0.x', () => {
  it.each(Object.entries(ENTRIES))('%s: every old value name is the same value as its PostHog... name', (_, entry) => {
    const module = entry as Record<string, unknown>;
    for (const name of Object.keys(module).filter((key) => /Posthog/.test(key))) {
      const renamed = name.replace(/Posthog/g, 'PostHog');
      expect(module[renamed], `${name} -> ${renamed}`).toBeDefined();
      expect(module[name], name).toBe(module[renamed]);
    }
  });

  it('keeps the old names users imported', () => {
    expect(root.PosthogConversationsClient).toBe(root.PostHogConversationsClient);
    expect(root.PosthogConversationsError).toBe(root.PostHogConversationsError);
    expect(new root.ConfigurationError('x')).toBeInstanceOf(root.PosthogConversationsError);
    expect(nestjs.PosthogConversationsModule).toBe(nestjs.PostHogConversationsModule);
    expect(nestjs.PosthogIdentity).toBe(nestjs.PostHogIdentity);
    expect(next.createPosthogIdentity).toBe(next.createPostHogIdentity);
    expect(next.createPosthogWebhook).toBe(next.createPostHogWebhook);
  });

  // Names added after the rename have no old name.
  const NEW_SINCE_THE_RENAME = new Set(['createPostHogProxy', 'PostHogWebhookInterceptor']);

  it('has no new name without its old one, for the names that existed', () => {
    const renamedValues = Object.entries(ENTRIES).flatMap(([entryName, entry]) =>
      Object.keys(entry)
        .filter((key) => /PostHog/.test(key) && !NEW_SINCE_THE_RENAME.has(key))
        .filter((key) => !(key.replace(/PostHog/g, 'Posthog') in entry))
        .map((key) => `${entryName}: ${key}`),
    );
    expect(renamedValues).toEqual([]);
  });
});
