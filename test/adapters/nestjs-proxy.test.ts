// Nest's widget proxy middleware in real Nest applications, on the Express and the Fastify platform,
// PostHog played by the emulator.
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { posthogProxy } from '../../adapters/nestjs/index.js';
import { computeIdentityHash } from '../../src/identity/index.js';
import { D, session, useEmulator } from '../contract/setup.js';

const api = useEmulator();
const userOf = (req: IncomingMessage) => /(?:^|;\s*)sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];

function appModule(host: string) {
  @Module({})
  class AppModule implements NestModule {
    configure(consumer: MiddlewareConsumer) {
      consumer
        .apply(posthogProxy({ prefix: '/ingest', secret: D.secretApiToken, host, assetsHost: host, getDistinctId: userOf }))
        .forRoutes({ path: 'ingest/*path', method: RequestMethod.ALL });
    }
  }
  return AppModule;
}

describe.each([
  ['Express platform', undefined],
  ['Fastify platform', () => new FastifyAdapter()],
] as const)('posthogProxy on Nest, %s', (_, platform) => {
  it("signs the logged-in user's widget call and streams posthog-js", async () => {
    const module = appModule(api.emulator.url);
    const app = platform
      ? await NestFactory.create(module, platform(), { logger: false })
      : await NestFactory.create(module, { logger: false });
    await app.listen(0, '127.0.0.1');
    onTestFinished(() => app.close());
    const url = await app.getUrl();
    const base = url.replace('[::1]', '127.0.0.1');
    const sent = await fetch(`${base}/ingest/api/conversations/v1/widget/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-conversations-token': D.publicToken, cookie: 'sid=ada', origin: base },
      body: JSON.stringify({ message: 'from Nest', widget_session_id: session() }),
    });
    expect(sent.status).toBe(200);
    const { ticket_id } = (await sent.json()) as { ticket_id: string };
    const identity = { identity_distinct_id: 'ada', identity_hash: computeIdentityHash('ada', D.secretApiToken) };
    expect((await api.client().widget.listTickets({ identity })).results.map((ticket) => ticket.id)).toContain(ticket_id);
    const script = await fetch(`${base}/ingest/static/array.js`);
    expect([script.status, (await script.text()).length > 1000]).toEqual([200, true]);
  });
});
