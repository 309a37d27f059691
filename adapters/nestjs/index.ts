/**
 * `posthog-conversations/nestjs` (Nest 10 to 12, Express or Fastify platform): the signer and the
 * API client by dependency injection, `@PosthogIdentity()` for handlers, an interceptor for login
 * answers and an optional SPA identity endpoint. Every injection names its token, so no
 * decorator metadata is needed.
 */
import type { CallHandler, ExecutionContext, NestInterceptor, OnModuleDestroy, PipeTransform, Type } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { createClient, type ClientOptions, type PosthogConversationsClient } from '../../src/client.js';
import { ConfigurationError } from '../../src/basics/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import type { IdentitySigner } from '../../src/identity/signer.js';
import { assertConfigKeys } from '../../src/basics/options.js';
import type { WebhookDelivery } from '../../src/webhooks/events.js';
import { WebhookVerificationError, createWebhookVerifier, type WebhookVerifier } from '../../src/webhooks/verify.js';
import {
  IDENTITY_RESOLVER_KEYS,
  createMaybeSyncResolver,
  identityEndpointAnswer,
  signerFrom,
  type IdentityResolverOptions,
} from '../../src/adapter-kit/request-identity.js';

import { nest, rxjs } from './peers.js';

const { BadRequestException, ConfigurableModuleBuilder, Controller, createParamDecorator, Get, Inject, Injectable, Module, Res } = nest;
const { from, mergeMap } = rxjs;

export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

/**
 * Options of {@link PosthogConversationsModule}. With only `secret` (and `client`) the module is a
 * plain provider of the signer and the API clients; `getDistinctId` (it gets your platform's
 * request) adds `@PosthogIdentity()`, the interceptor and the identity route.
 */
// biome-ignore lint/suspicious/noExplicitAny: each platform's request type differs; any keeps getDistinctId(req) free of casts
export interface PosthogConversationsModuleOptions<Req = any> extends Omit<IdentityResolverOptions<Req>, 'getDistinctId'> {
  /** The logged-in user's distinct id from your own auth (`req.user?.id`); needed for the request helpers. */
  getDistinctId?: IdentityResolverOptions<Req>['getDistinctId'] | undefined;
  /** Options for `service.client` (the API clients); leave out if you only sign identities. */
  client?: ClientOptions | undefined;
  /** The webhook signing secret (`whsec_...`), or several while you rotate: for `@PosthogWebhookDelivery()`. */
  webhookSecret?: string | readonly string[] | undefined;
  /** The webhook timestamp window in seconds, either way. Default 300. */
  webhookToleranceSeconds?: number | undefined;
}

const MODULE_OPTION_KEYS = [...IDENTITY_RESOLVER_KEYS, 'client', 'webhookSecret', 'webhookToleranceSeconds'] as const;
const NEEDS_GET_DISTINCT_ID =
  'needs getDistinctId, which reads the logged-in user from your own auth: PosthogConversationsModule.forRoot({ secret, getDistinctId: (req) => req.user?.id })';

/** Set when the module is imported (not from the async factory): they shape the module itself. */
interface ModuleExtras {
  isGlobal?: boolean;
  /** Serve the SPA identity endpoint at this path (`GET`, 200 or 401, never cached). */
  identityRoute?: string | undefined;
}

const builder = new ConfigurableModuleBuilder<PosthogConversationsModuleOptions>({ moduleName: 'PosthogConversations' })
  .setClassMethodName('forRoot')
  .setExtras<ModuleExtras>({ isGlobal: false, identityRoute: undefined }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? false,
    controllers: extras.identityRoute ? [identityController(extras.identityRoute)] : [],
  }))
  .build();

/** The token of the module's options: inject them with `@Inject(POSTHOG_CONVERSATIONS_OPTIONS)`. */
export const POSTHOG_CONVERSATIONS_OPTIONS: string | symbol = builder.MODULE_OPTIONS_TOKEN;

/** The signer, the identity of a request, and (with `client` options) the API clients. */
@Injectable()
export class PosthogConversationsService implements OnModuleDestroy {
  /** Signs and verifies identities with the module's secret. */
  readonly signer: IdentitySigner;
  readonly #resolve: ReturnType<typeof createMaybeSyncResolver> | undefined;
  readonly #clientOptions: ClientOptions | undefined;
  readonly #webhook: WebhookVerifier | undefined;
  #client: PosthogConversationsClient | undefined;

  constructor(@Inject(builder.MODULE_OPTIONS_TOKEN) options: PosthogConversationsModuleOptions) {
    assertConfigKeys(options, MODULE_OPTION_KEYS, 'PosthogConversationsModule options');
    this.signer = signerFrom(options);
    const { client, getDistinctId, webhookSecret, webhookToleranceSeconds, ...identity } = options;
    // Keys prepared once; a wrong secret fails at start-up.
    this.#webhook =
      webhookSecret === undefined ? undefined : createWebhookVerifier({ secret: webhookSecret, toleranceSeconds: webhookToleranceSeconds });
    this.#resolve =
      getDistinctId === undefined
        ? undefined
        : createMaybeSyncResolver({ ...identity, getDistinctId, secret: undefined, previousSecrets: undefined, signer: this.signer });
    this.#clientOptions = client;
  }

  /** Whether the module can tell who is logged in (it was given `getDistinctId`). */
  get resolvesIdentity(): boolean {
    return this.#resolve !== undefined;
  }

  /** The widget identity of the user logged in on this request, or null for a visitor. */
  async identityOf(request: unknown): Promise<IdentityFields | null> {
    if (this.#resolve === undefined)
      throw new ConfigurationError(`identityOf (and @PosthogIdentity(), PosthogIdentityInterceptor) ${NEEDS_GET_DISTINCT_ID}`);
    return this.#resolve(request);
  }

  /**
   * Verifies a webhook delivery from its raw body (`request.rawBody`, which Nest keeps when the app
   * is created with `{ rawBody: true }`) and headers. Throws a `WebhookVerificationError` for a
   * delivery to refuse; `@PosthogWebhookDelivery()` turns that into a 400.
   */
  verifyWebhook(request: { rawBody?: Buffer | undefined; headers: Record<string, string | string[] | undefined> }): WebhookDelivery {
    const verifier = this.#webhook;
    if (verifier === undefined)
      throw new ConfigurationError(
        'verifyWebhook needs webhookSecret: PosthogConversationsModule.forRoot({ ..., webhookSecret: process.env.POSTHOG_WEBHOOK_SECRET })',
      );
    if (!Buffer.isBuffer(request.rawBody)) {
      // Nest keeps the raw body only of what its parsers read (JSON, forms): another type is the sender's fault.
      const type = String(request.headers['content-type'] ?? '');
      if (!/^application\/(json|x-www-form-urlencoded)\b|\+json\b/i.test(type)) {
        throw new WebhookVerificationError(
          'ERR_WEBHOOK_BAD_PAYLOAD',
          `the delivery is not JSON (content-type ${type || 'missing'}); PostHog sends application/json`,
        );
      }
      throw new ConfigurationError(
        'verifyWebhook needs the raw body: create the app with NestFactory.create(AppModule, { rawBody: true })',
      );
    }
    return verifier.verify(request.rawBody, request.headers);
  }

  /** The API clients (`widget`, `tickets`, `external`, `settings`, `remoteConfig`), created on first use. */
  get client(): PosthogConversationsClient {
    if (this.#clientOptions === undefined) {
      throw new ConfigurationError(
        'PosthogConversationsModule has no client options: pass forRoot({ ..., client: { host, publicToken, ... } }).',
      );
    }
    return (this.#client ??= createClient(this.#clientOptions));
  }

  /** Closes the API client's connection pool when Nest shuts the app down. */
  async onModuleDestroy(): Promise<void> {
    await this.#client?.close();
  }
}

/** Turns the request into its identity: the pipe behind `@PosthogIdentity()`. */
@Injectable()
export class PosthogIdentityPipe implements PipeTransform<unknown, Promise<IdentityFields | null>> {
  constructor(@Inject(PosthogConversationsService) private readonly service: PosthogConversationsService) {}

  transform(request: unknown): Promise<IdentityFields | null> {
    return this.service.identityOf(request);
  }
}

/** Verifies the request as a webhook delivery: the pipe behind `@PosthogWebhookDelivery()`. */
@Injectable()
export class PosthogWebhookPipe implements PipeTransform<unknown, WebhookDelivery> {
  constructor(@Inject(PosthogConversationsService) private readonly service: PosthogConversationsService) {}

  transform(request: unknown): WebhookDelivery {
    try {
      return this.service.verifyWebhook(request as Parameters<PosthogConversationsService['verifyWebhook']>[0]);
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw new BadRequestException({ error: error.message, code: error.code });
      throw error;
    }
  }
}

const CurrentRequest = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<unknown>());

/**
 * The widget identity of the logged-in user (or null for a visitor), as a handler parameter.
 *
 * @example
 * @Get('/') page(@PosthogIdentity() identity: IdentityFields | null) { return { identity } }
 */
export const PosthogIdentity = (): ParameterDecorator => CurrentRequest(undefined, PosthogIdentityPipe);

/**
 * A verified webhook delivery from PostHog, as a handler parameter; a forged, altered or stale one
 * is answered 400 before the handler runs. Needs `webhookSecret` and an app created with
 * `{ rawBody: true }`. Answer 2xx only once the delivery is handled (throw to have PostHog retry).
 *
 * @example
 * @Post('webhooks/posthog') @HttpCode(204)
 * async webhook(@PosthogWebhookDelivery() { id, event }: WebhookDelivery) { ... }
 */
export const PosthogWebhookDelivery = (): ParameterDecorator => CurrentRequest(undefined, PosthogWebhookPipe);

/** Adds `posthogIdentity` to a handler's JSON answer, resolved after it ran: for login routes. */
@Injectable()
export class PosthogIdentityInterceptor implements NestInterceptor {
  constructor(@Inject(PosthogConversationsService) private readonly service: PosthogConversationsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<unknown>();
    return next
      .handle()
      .pipe(
        mergeMap((body: unknown) =>
          from(
            this.service
              .identityOf(request)
              .then((posthogIdentity) =>
                typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, posthogIdentity } : body,
              ),
          ),
        ),
      );
  }
}

function identityController(path: string): Type<unknown> {
  @Controller()
  class PosthogIdentityController {
    constructor(@Inject(PosthogConversationsService) private readonly service: PosthogConversationsService) {
      // At start-up, not on the first request.
      if (!service.resolvesIdentity) throw new ConfigurationError(`identityRoute ${NEEDS_GET_DISTINCT_ID}`);
    }

    @Get(path)
    async identity(
      @CurrentRequest() request: unknown,
      @Res({ passthrough: true }) response: { status(code: number): unknown; header(name: string, value: string): unknown },
    ) {
      const answer = identityEndpointAnswer(await this.service.identityOf(request));
      // Express's res and Fastify's reply both have status() and header(); no exception class is
      // involved, so a second copy of @nestjs/common in an app cannot turn the 401 into a 500.
      response.status(answer.status);
      response.header('cache-control', 'no-store');
      return answer.body;
    }
  }
  return PosthogIdentityController;
}

/**
 * @example
 * PosthogConversationsModule.forRoot({ secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (req) => req.user?.id, isGlobal: true, identityRoute: '/api/posthog-identity' })
 * PosthogConversationsModule.forRootAsync({ useFactory: (config: ConfigService) => ({ secret: config.get('POSTHOG_SECRET'), getDistinctId }), inject: [ConfigService] })
 */
@Module({
  providers: [PosthogConversationsService, PosthogIdentityPipe, PosthogIdentityInterceptor, PosthogWebhookPipe],
  exports: [PosthogConversationsService, PosthogIdentityPipe, PosthogIdentityInterceptor, PosthogWebhookPipe],
})
export class PosthogConversationsModule extends builder.ConfigurableModuleClass {}
