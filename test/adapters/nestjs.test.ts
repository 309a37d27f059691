// The NestJS adapter inside real Nest applications, on the Express and on the Fastify platform.
import 'reflect-metadata';
import { Controller, Get, HttpCode, Inject, Injectable, Module, Post, Req, UseInterceptors, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PostHogConversationsModule,
  PostHogConversationsService,
  PostHogIdentity,
  PostHogIdentityInterceptor,
  PostHogWebhookDelivery,
  type IdentityFields,
  type WebhookDelivery,
} from '../../adapters/nestjs/index.js';
import { Webhook } from 'standardwebhooks';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS, startEmulator, type Emulator } from '../../src/testing/index.js';

const SECRET = EMULATOR_DEFAULTS.secretApiToken;
type AnyRequest = { headers: Record<string, string | undefined>; userId?: string };
// The app's own auth: a session cookie mapped to a user.
const sessions = new Map<string, string>([['ada', 'user_ada']]);
const userOf = (req: AnyRequest) => req.userId ?? sessions.get(/sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');

@Controller()
class AppController {
  constructor(@Inject(PostHogConversationsService) private readonly posthog: PostHogConversationsService) {}

  @Get('page')
  page(@PostHogIdentity() identity: IdentityFields | null) {
    return { identity };
  }

  @Post('login')
  @UseInterceptors(PostHogIdentityInterceptor)
  login(@Req() req: AnyRequest) {
    req.userId = 'user_fresh'; // what a login does once the password checks out
    return { ok: true };
  }

  @Get('my-tickets')
  async tickets(@Req() req: AnyRequest) {
    const identity = await this.posthog.identityOf(req);
    return identity ? this.posthog.client.widget.listTickets({ identity }) : { count: 0 };
  }
}

@Injectable()
class Config {
  readonly secret = SECRET;
}
@Module({ providers: [Config], exports: [Config] })
class ConfigModule {}

function appModule(host: string) {
  @Module({
    imports: [
      PostHogConversationsModule.forRootAsync({
        imports: [ConfigModule],
        inject: [Config],
        useFactory: (config: Config) => ({
          secret: config.secret,
          getDistinctId: (req: AnyRequest) => userOf(req),
          client: { host, publicToken: EMULATOR_DEFAULTS.publicToken, retry: false },
        }),
        isGlobal: true,
        identityRoute: '/api/posthog-identity',
      }),
    ],
    controllers: [AppController],
  })
  class AppModule {}
  return AppModule;
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ throttles: false });
});
afterAll(() => emulator.close());

describe.each([
  ['Express platform', () => undefined],
  ['Fastify platform', () => new FastifyAdapter()],
])('Nest on the %s', (_, adapter) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    const platform = adapter();
    app = platform
      ? await NestFactory.create(appModule(emulator.url), platform, { logger: false })
      : await NestFactory.create(appModule(emulator.url), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());
  const get = (path: string, sid?: string) => fetch(`${url}${path}`, { headers: sid ? { cookie: `sid=${sid}` } : {} });

  it('@PostHogIdentity() gives a handler the signed identity, or null for a visitor', async () => {
    expect(await (await get('/page', 'ada')).json()).toEqual({
      identity: { identity_distinct_id: 'user_ada', identity_hash: computeIdentityHash('user_ada', SECRET) },
    });
    expect(await (await get('/page')).json()).toEqual({ identity: null });
  });

  it('the interceptor adds the identity of the user who just logged in', async () => {
    const response = await fetch(`${url}/login`, { method: 'POST' });
    expect(await response.json()).toEqual({
      ok: true,
      posthogIdentity: { identity_distinct_id: 'user_fresh', identity_hash: computeIdentityHash('user_fresh', SECRET) },
    });
  });

  it('serves the SPA identity endpoint: 200 or 401, never cached, deaf to ids in the request', async () => {
    const ok = await get('/api/posthog-identity', 'ada');
    expect([ok.status, ok.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(await ok.json()).toMatchObject({ identity_distinct_id: 'user_ada' });
    const visitor = await fetch(`${url}/api/posthog-identity?distinct_id=user_ada`, { headers: { 'x-distinct-id': 'user_ada' } });
    expect([visitor.status, visitor.headers.get('cache-control')]).toEqual([401, 'no-store']);
    expect(await visitor.json()).toEqual({ error: 'Not logged in' });
  });

  it('injects the service with a working API client (against the emulator)', async () => {
    const service = app.get(PostHogConversationsService);
    await service.client.widget.sendMessage({ identity: service.signer.identityFor('user_ada'), message: 'from Nest' });
    expect(await (await get('/my-tickets', 'ada')).json()).toMatchObject({ count: 1 });
    emulator.reset();
  });
});

describe('module options', () => {
  it('forRoot refuses a phc_ key when the app starts', async () => {
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: 'phc_public', getDistinctId: () => undefined })] })
    class BadModule {}
    await expect(NestFactory.createApplicationContext(BadModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /public project API key/,
    );
  });

  it('works as a plain provider of the signer and the client without getDistinctId', async () => {
    @Module({
      imports: [
        PostHogConversationsModule.forRoot({ secret: SECRET, client: { host: emulator.url, publicToken: EMULATOR_DEFAULTS.publicToken } }),
      ],
    })
    class ProviderModule {}
    const context = await NestFactory.createApplicationContext(ProviderModule, { logger: false });
    try {
      const service = context.get(PostHogConversationsService);
      expect(service.signer.sign('user_ada')).toBe(computeIdentityHash('user_ada', SECRET));
      await expect(service.client.widget.listTickets({ identity: service.signer.identityFor('user_ada') })).resolves.toMatchObject({
        count: 0,
      });
      expect(service.resolvesIdentity).toBe(false);
      await expect(service.identityOf({})).rejects.toThrow(/needs getDistinctId/);
    } finally {
      await context.close();
    }
  });

  it('the decorator says it needs getDistinctId, and identityRoute refuses to start without it', async () => {
    @Controller()
    class PageController {
      @Get('page')
      page(@PostHogIdentity() identity: IdentityFields | null) {
        return { identity };
      }
    }
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: SECRET })], controllers: [PageController] })
    class DecoratorModule {}
    const app = await NestFactory.create(DecoratorModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      expect((await fetch(`${url}/page`)).status).toBe(500);
      const service = app.get(PostHogConversationsService);
      await expect(service.identityOf({})).rejects.toThrow(/@PostHogIdentity\(\), PostHogIdentityInterceptor\) needs getDistinctId/);
    } finally {
      await app.close();
    }
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: SECRET, identityRoute: '/api/posthog-identity' })] })
    class RouteModule {}
    await expect(NestFactory.create(RouteModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /identityRoute needs getDistinctId/,
    );
  });

  it('refuses an unknown option, naming the nearest', async () => {
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: SECRET, clients: {} } as never)] })
    class TypoModule {}
    await expect(NestFactory.createApplicationContext(TypoModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /unknown option `clients` .*did you mean `client`\?/,
    );
  });

  it('service.client explains that client options are missing', async () => {
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: SECRET, getDistinctId: () => undefined })] })
    class NoClientModule {}
    const context = await NestFactory.createApplicationContext(NoClientModule, { logger: false });
    try {
      expect(() => context.get(PostHogConversationsService).client).toThrow(/no client options/);
    } finally {
      await context.close();
    }
  });
});

// Nest's body parsers stop at 100 KB by default; a 413 is not retried by PostHog, so a delivery
// past it would be lost. The webhook docs raise the limit to the receiver's 1 MiB, as here.
describe.each([
  ['Express platform', () => undefined],
  ['Fastify platform', () => new FastifyAdapter({ bodyLimit: 1024 * 1024 })],
])('webhook deliveries on the %s', (_, adapter) => {
  const WEBHOOK_SECRET = EMULATOR_DEFAULTS.webhookSecret;
  const handled: WebhookDelivery[] = [];
  @Controller()
  class WebhookController {
    @Post('webhooks/posthog')
    @HttpCode(204)
    receive(@PostHogWebhookDelivery() delivery: WebhookDelivery) {
      handled.push(delivery);
    }
  }
  @Module({
    imports: [PostHogConversationsModule.forRoot({ secret: SECRET, webhookSecret: WEBHOOK_SECRET })],
    controllers: [WebhookController],
  })
  class WebhookModule {}

  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    const platform = adapter();
    app = platform
      ? await NestFactory.create(WebhookModule, platform, { logger: false, rawBody: true })
      : await NestFactory.create(WebhookModule, { logger: false, rawBody: true });
    if (!platform) (app as NestExpressApplication).useBodyParser('json', { limit: '1mb' });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  const payload = JSON.stringify({
    event: {
      uuid: 'e',
      event: '$conversation_message_received',
      distinct_id: 'user_ada',
      timestamp: 't',
      properties: {
        ticket_id: 't1',
        ticket_number: 3,
        channel_source: 'widget',
        status: 'open',
        message_id: 'm1',
        message_content: 'Help',
        author_type: 'customer',
      },
    },
    person: null,
  });
  const headersFor = (body: string, id: string) => {
    const now = new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, now, body),
    };
  };

  it('hands the handler a verified, typed delivery and answers 204', async () => {
    const response = await fetch(`${url}/webhooks/posthog`, { method: 'POST', body: payload, headers: headersFor(payload, 'msg_nest') });
    expect(response.status).toBe(204);
    expect(handled.at(-1)).toMatchObject({
      id: 'msg_nest',
      event: { event: '$conversation_message_received', properties: { message_content: 'Help' } },
    });
  });

  it('receives what the emulator delivers when a ticket is created', async () => {
    const deliveringEmulator = await startEmulator({
      throttles: false,
      webhooks: [{ url: `${url}/webhooks/posthog`, secret: WEBHOOK_SECRET, events: ['$conversation_ticket_created'] }],
    });
    try {
      const ticket = deliveringEmulator.addTicket({ distinct_id: 'user_nest' });
      await deliveringEmulator.webhooksIdle();
      expect(deliveringEmulator.deliveries[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 204 }] });
      expect(handled.at(-1)!.event).toMatchObject({ event: '$conversation_ticket_created', properties: { ticket_id: ticket.id } });
    } finally {
      await deliveringEmulator.close();
    }
  });

  it("receives a delivery past Nest's default 100 KB limit once the limit is raised as the docs say", async () => {
    const big = JSON.stringify({
      event: {
        ...JSON.parse(payload).event,
        properties: { ...JSON.parse(payload).event.properties, message_content: 'x'.repeat(200 * 1024) },
      },
      person: null,
    });
    const response = await fetch(`${url}/webhooks/posthog`, { method: 'POST', body: big, headers: headersFor(big, 'msg_big') });
    expect(response.status).toBe(204);
    expect(handled.at(-1)).toMatchObject({ id: 'msg_big' });
  });

  it('answers 400 (not a 500 blaming the set-up) to a delivery of another content type', async () => {
    const before = handled.length;
    const response = await fetch(`${url}/webhooks/posthog`, {
      method: 'POST',
      body: payload,
      headers: { ...headersFor(payload, 'msg_text'), 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ERR_WEBHOOK_BAD_PAYLOAD' });
    expect(handled.length).toBe(before);
  });

  it('answers 400 with the code to a forged delivery, before the handler runs', async () => {
    const before = handled.length;
    const response = await fetch(`${url}/webhooks/posthog`, {
      method: 'POST',
      body: payload.replace('Help', 'Pwned'),
      headers: headersFor(payload, 'msg_forged'),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ERR_WEBHOOK_BAD_SIGNATURE' });
    expect(handled.length).toBe(before);
  });
});

describe('webhook options', () => {
  it('refuses a malformed webhookSecret when the app starts', async () => {
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: SECRET, webhookSecret: 'whsec_not base64!' })] })
    class BadWebhookModule {}
    await expect(NestFactory.createApplicationContext(BadWebhookModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /not a Standard Webhooks secret/,
    );
  });

  it('says to enable rawBody when it is missing', async () => {
    @Module({ imports: [PostHogConversationsModule.forRoot({ secret: SECRET, webhookSecret: EMULATOR_DEFAULTS.webhookSecret })] })
    class NoRawModule {}
    const context = await NestFactory.createApplicationContext(NoRawModule, { logger: false });
    try {
      expect(() => context.get(PostHogConversationsService).verifyWebhook({ headers: { 'content-type': 'application/json' } })).toThrow(
        /rawBody: true/,
      );
    } finally {
      await context.close();
    }
  });
});
