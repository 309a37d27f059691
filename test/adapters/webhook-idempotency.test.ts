// The `idempotency` option in every webhook receiver, each in its real framework on a real port:
// Express, Fastify 4 and 5, Hono, Next's route handler, the Fetch handler, and Nest on both
// platforms (its interceptor). One delivery is handled once; a concurrent copy is 429 with
// Retry-After; a handler's error releases the claim for the retry; a failing store is 503.
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, UseInterceptors, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { posthogWebhook as expressWebhook } from '../../adapters/express/index.js';
import { posthogWebhook as fastifyWebhook } from '../../adapters/fastify/index.js';
import { posthogWebhook as honoWebhook } from '../../adapters/hono/index.js';
import {
  PostHogConversationsModule,
  PostHogConversationsService,
  PostHogWebhookDelivery,
  PostHogWebhookInterceptor,
} from '../../adapters/nestjs/index.js';
import { createPostHogWebhook } from '../../adapters/next/shared.js';
import { EMULATOR_DEFAULTS as D, webhookDelivery } from '../../src/testing/index.js';
import {
  type IdempotencyStore,
  type WebhookDelivery,
  type WebhookIdempotencyOptions,
  createWebhookHandler,
  memoryIdempotencyStore,
} from '../../src/webhooks/index.js';
import { serve, serveFetch } from '../helpers/servers.js';

const SECRET = D.webhookSecret;
const PATH = '/webhooks/posthog';

/** What the handler does for a delivery id: wait for a release, or throw the first time. */
const behaviour = new Map<string, { kind: 'slow'; until: Promise<void> } | { kind: 'throw-once'; thrown: boolean }>();
const runs: string[] = [];
async function onDelivery({ id }: WebhookDelivery): Promise<void> {
  runs.push(id);
  const b = behaviour.get(id);
  if (b?.kind === 'slow') await b.until;
  if (b?.kind === 'throw-once' && !b.thrown) {
    b.thrown = true;
    throw new Error('handler failed once');
  }
}

type Start = (idempotency: WebhookIdempotencyOptions) => Promise<{ url: string; close(): Promise<unknown> }>;
const closing: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closing.splice(0)) await close();
});

const quiet = { onStoreError: () => {} };

const nestModule = (idempotency: WebhookIdempotencyOptions) => {
  @Controller()
  class HookController {
    @Post(PATH)
    @HttpCode(204)
    @UseInterceptors(PostHogWebhookInterceptor)
    receive(@PostHogWebhookDelivery() delivery: WebhookDelivery) {
      return onDelivery(delivery);
    }
  }
  @Module({
    imports: [PostHogConversationsModule.forRoot({ secret: D.secretApiToken, webhookSecret: SECRET, webhookIdempotency: idempotency })],
    controllers: [HookController],
  })
  class HookModule {}
  return HookModule;
};

async function nest(app: INestApplication): Promise<{ url: string; close(): Promise<unknown> }> {
  await app.listen(0, '127.0.0.1');
  return { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
}

const RECEIVERS: Array<[string, Start]> = [
  [
    'Express',
    (idempotency) => {
      const app = express();
      app.post(PATH, expressWebhook({ secret: SECRET, idempotency, onDelivery }));
      app.use((_e: unknown, _q: express.Request, res: express.Response, _n: express.NextFunction) => void res.status(500).end());
      return serve(app);
    },
  ],
  ...(
    [
      ['Fastify 5', fastify5],
      ['Fastify 4', fastify4 as unknown as typeof fastify5],
    ] as const
  ).map(([name, make]): [string, Start] => [
    name,
    async (idempotency) => {
      const app = make();
      await app.register(fastifyWebhook, { path: PATH, secret: SECRET, idempotency, onDelivery });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  ]),
  [
    'Hono',
    (idempotency) => {
      const app = new Hono();
      app.post(PATH, honoWebhook({ secret: SECRET, idempotency, onDelivery }));
      app.onError((_e, c) => c.body(null, 500));
      return serveFetch(app.fetch);
    },
  ],
  [
    "Next's route handler",
    (idempotency) => {
      const { POST } = createPostHogWebhook({ secret: SECRET, idempotency, onDelivery });
      // Next answers a route handler's throw with a 500.
      return serveFetch((request) => POST(request).catch(() => new Response(null, { status: 500 })));
    },
  ],
  [
    'createWebhookHandler',
    (idempotency) => {
      const handle = createWebhookHandler({ secret: SECRET, idempotency, onDelivery });
      return serveFetch((request) => handle(request).catch(() => new Response(null, { status: 500 })));
    },
  ],
  [
    'Nest (Express platform)',
    async (idempotency) => {
      const app = await NestFactory.create<NestExpressApplication>(nestModule(idempotency), { logger: false, rawBody: true });
      return nest(app);
    },
  ],
  [
    'Nest (Fastify platform)',
    async (idempotency) => nest(await NestFactory.create(nestModule(idempotency), new FastifyAdapter(), { logger: false, rawBody: true })),
  ],
];

function send(url: string, delivery: { body: string; headers: Record<string, string> }): Promise<Response> {
  return fetch(`${url}${PATH}`, { method: 'POST', body: delivery.body, headers: delivery.headers });
}

describe.each(RECEIVERS)('%s with idempotency', (_, start) => {
  const receivers = new Map<string, string>();
  const urlFor = async (kind: 'working' | 'broken') => {
    const known = receivers.get(kind);
    if (known !== undefined) return known;
    const failing: IdempotencyStore = { ...memoryIdempotencyStore(), claim: () => Promise.reject(new Error('store down')) };
    const served = await start({ store: kind === 'working' ? memoryIdempotencyStore() : failing, leaseSeconds: 20, ...quiet });
    closing.push(() => served.close());
    receivers.set(kind, served.url);
    return served.url;
  };

  it('runs the handler once, and answers a copy that comes while it runs 429 with Retry-After', async () => {
    const url = await urlFor('working');
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    let finish!: () => void;
    behaviour.set(delivery.id, { kind: 'slow', until: new Promise((r) => (finish = r)) });
    const first = send(url, delivery);
    await expect.poll(() => runs.includes(delivery.id)).toBe(true);
    const copy = await send(url, webhookDelivery('$conversation_ticket_created', { secret: SECRET, id: delivery.id }));
    expect(copy.status).toBe(429);
    expect(Number(copy.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(await copy.json()).toMatchObject({ code: 'ERR_DELIVERY_IN_PROGRESS' });
    finish();
    expect((await first).status).toBe(204);
    expect((await send(url, delivery)).status).toBe(204);
    expect(runs.filter((id) => id === delivery.id)).toHaveLength(1);
  });

  it("releases the claim when the handler throws: PostHog's retry runs it again and is then done", async () => {
    const url = await urlFor('working');
    const delivery = webhookDelivery('$conversation_message_received', { secret: SECRET });
    behaviour.set(delivery.id, { kind: 'throw-once', thrown: false });
    expect((await send(url, delivery)).status).toBe(500);
    expect((await send(url, delivery)).status).toBe(204);
    expect((await send(url, delivery)).status).toBe(204);
    expect(runs.filter((id) => id === delivery.id)).toHaveLength(2);
  });

  it('answers 503 and runs nothing when the store fails', async () => {
    const url = await urlFor('broken');
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    const answer = await send(url, delivery);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ code: 'ERR_IDEMPOTENCY_STORE' });
    expect(runs).not.toContain(delivery.id);
  });

  it('answers 400 to a forged delivery without touching the store', async () => {
    const url = await urlFor('broken'); // a store that fails would make it 503 if it were asked
    const forged = webhookDelivery('$conversation_ticket_created', { secret: `whsec_${Buffer.from('f'.repeat(32)).toString('base64')}` });
    expect((await send(url, forged)).status).toBe(400);
  });
});

describe('Nest without the interceptor', () => {
  it('refuses to run a handler unclaimed when webhookIdempotency is set (500, with the fix in the error)', async () => {
    @Controller()
    class BareController {
      @Post(PATH)
      @HttpCode(204)
      receive(@PostHogWebhookDelivery() delivery: WebhookDelivery) {
        return onDelivery(delivery);
      }
    }
    @Module({
      imports: [
        PostHogConversationsModule.forRoot({
          secret: D.secretApiToken,
          webhookSecret: SECRET,
          webhookIdempotency: { store: memoryIdempotencyStore() },
        }),
      ],
      controllers: [BareController],
    })
    class BareModule {}
    const app = await NestFactory.create(BareModule, { logger: false, rawBody: true });
    const served = await nest(app);
    closing.push(() => served.close());
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    expect((await send(served.url, delivery)).status).toBe(500);
    expect(runs).not.toContain(delivery.id);
    expect(() => app.get(PostHogConversationsService).verifyWebhook({ headers: {} })).toThrow(
      /add @UseInterceptors\(PostHogWebhookInterceptor\)/,
    );
  });

  it('the interceptor without webhookIdempotency says what to configure', async () => {
    const context = await NestFactory.createApplicationContext(
      (() => {
        @Module({ imports: [PostHogConversationsModule.forRoot({ secret: D.secretApiToken, webhookSecret: SECRET })] })
        class PlainModule {}
        return PlainModule;
      })(),
      { logger: false },
    );
    closing.push(() => context.close());
    await expect(context.get(PostHogConversationsService).admitWebhook({ headers: {} })).rejects.toThrow(
      /PostHogWebhookInterceptor needs webhookIdempotency/,
    );
  });

  it('webhookIdempotency without webhookSecret fails at start-up', async () => {
    @Module({
      imports: [PostHogConversationsModule.forRoot({ secret: D.secretApiToken, webhookIdempotency: { store: memoryIdempotencyStore() } })],
    })
    class NoSecretModule {}
    await expect(NestFactory.createApplicationContext(NoSecretModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /webhookIdempotency needs webhookSecret/,
    );
  });
});
