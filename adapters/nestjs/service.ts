/** The Nest service (signer, identity of a request, webhook verifier, API client) and the module's options builder. */
import type { ExecutionContext, OnModuleDestroy } from '@nestjs/common';
import { createClient, type ClientOptions, type PostHogConversationsClient } from '../../src/client.js';
import { ConfigurationError } from '../../src/basics/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import type { IdentitySigner } from '../../src/identity/signer.js';
import { assertConfigKeys } from '../../src/basics/options.js';
import type { WebhookDelivery } from '../../src/webhooks/events.js';
import { deliveryGate, type Admission, type DeliveryGate, type WebhookIdempotencyOptions } from '../../src/webhooks/idempotency.js';
import { WebhookVerificationError, createWebhookVerifier, type WebhookVerifier } from '../../src/webhooks/verify.js';
import {
  IDENTITY_RESOLVER_KEYS,
  createMaybeSyncResolver,
  signerFrom,
  type IdentityResolverOptions,
} from '../../src/adapter-kit/request-identity.js';
// A cycle on purpose: the builder calls identityController only when a module is configured.
import { identityController } from './identity.js';
import { nest } from './peers.js';

const { ConfigurableModuleBuilder, createParamDecorator, Inject, Injectable } = nest;

/**
 * Options of {@link PostHogConversationsModule}. With only `secret` (and `client`) the module is a
 * plain provider of the signer and the API clients; `getDistinctId` (it gets your platform's
 * request) adds `@PostHogIdentity()`, the interceptor and the identity route.
 */
// biome-ignore lint/suspicious/noExplicitAny: each platform's request type differs; any keeps getDistinctId(req) free of casts
export interface PostHogConversationsModuleOptions<Req = any> extends Omit<IdentityResolverOptions<Req>, 'getDistinctId'> {
  /** The logged-in user's distinct id from your own auth (`req.user?.id`); needed for the request helpers. */
  getDistinctId?: IdentityResolverOptions<Req>['getDistinctId'] | undefined;
  /** Options for `service.client` (the API clients); leave out if you only sign identities. */
  client?: ClientOptions | undefined;
  /** The webhook signing secret (`whsec_...`), or several while you rotate: for `@PostHogWebhookDelivery()`. */
  webhookSecret?: string | readonly string[] | undefined;
  /** The webhook timestamp window in seconds, either way. Default 300. */
  webhookToleranceSeconds?: number | undefined;
  /**
   * Exactly-once webhook handling across replicas, for handlers with
   * `@UseInterceptors(PostHogWebhookInterceptor)`: each delivery is claimed in `store` before the
   * handler runs and recorded as done after (see {@link WebhookIdempotencyOptions}).
   */
  webhookIdempotency?: WebhookIdempotencyOptions | undefined;
}

const MODULE_OPTION_KEYS = [...IDENTITY_RESOLVER_KEYS, 'client', 'webhookSecret', 'webhookToleranceSeconds', 'webhookIdempotency'] as const;
export const NEEDS_GET_DISTINCT_ID =
  'needs getDistinctId, which reads the logged-in user from your own auth: PostHogConversationsModule.forRoot({ secret, getDistinctId: (req) => req.user?.id })';

/** Set when the module is imported (not from the async factory): they shape the module itself. */
interface ModuleExtras {
  isGlobal?: boolean;
  /** Serve the SPA identity endpoint at this path (`GET`, 200 or 401, never cached). */
  identityRoute?: string | undefined;
}

export const builder = new ConfigurableModuleBuilder<PostHogConversationsModuleOptions>({ moduleName: 'PostHogConversations' })
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
export class PostHogConversationsService implements OnModuleDestroy {
  /** Signs and verifies identities with the module's secret. */
  readonly signer: IdentitySigner;
  readonly #resolve: ReturnType<typeof createMaybeSyncResolver> | undefined;
  readonly #clientOptions: ClientOptions | undefined;
  readonly #webhook: WebhookVerifier | undefined;
  readonly #gate: DeliveryGate | undefined;
  // Deliveries the interceptor verified and claimed, so the pipe neither verifies them again nor runs one unclaimed.
  readonly #admitted = new WeakMap<object, WebhookDelivery>();
  #client: PostHogConversationsClient | undefined;

  constructor(@Inject(builder.MODULE_OPTIONS_TOKEN) options: PostHogConversationsModuleOptions) {
    assertConfigKeys(options, MODULE_OPTION_KEYS, 'PostHogConversationsModule options');
    this.signer = signerFrom(options);
    const { client, getDistinctId, webhookSecret, webhookToleranceSeconds, webhookIdempotency, ...identity } = options;
    // Keys prepared once; a wrong secret fails at start-up.
    this.#webhook =
      webhookSecret === undefined ? undefined : createWebhookVerifier({ secret: webhookSecret, toleranceSeconds: webhookToleranceSeconds });
    this.#gate = deliveryGate(webhookIdempotency, 'PostHogConversationsModule options', 'webhookIdempotency');
    if (this.#gate !== undefined && this.#webhook === undefined)
      throw new ConfigurationError('webhookIdempotency needs webhookSecret: the deliveries are verified before they are claimed');
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
      throw new ConfigurationError(`identityOf (and @PostHogIdentity(), PostHogIdentityInterceptor) ${NEEDS_GET_DISTINCT_ID}`);
    return this.#resolve(request);
  }

  /**
   * Verifies a webhook delivery from its raw body (`request.rawBody`, which Nest keeps when the app
   * is created with `{ rawBody: true }`) and headers. Throws a `WebhookVerificationError` for a
   * delivery to refuse; `@PostHogWebhookDelivery()` turns that into a 400.
   */
  verifyWebhook(request: WebhookRequest): WebhookDelivery {
    const admitted = this.#admitted.get(request);
    if (admitted !== undefined) return admitted;
    if (this.#gate !== undefined)
      throw new ConfigurationError(
        'webhookIdempotency is set, but this handler has no PostHogWebhookInterceptor to claim the delivery: add @UseInterceptors(PostHogWebhookInterceptor) to it',
      );
    return this.#verify(request);
  }

  /**
   * Verifies a delivery and claims it in the `webhookIdempotency` store: what
   * `PostHogWebhookInterceptor` runs before the handler. Throws a `WebhookVerificationError` for a
   * delivery to refuse (nothing is written to the store for it).
   */
  async admitWebhook(request: WebhookRequest): Promise<Admission> {
    if (this.#gate === undefined)
      throw new ConfigurationError(
        'PostHogWebhookInterceptor needs webhookIdempotency: PostHogConversationsModule.forRoot({ ..., webhookIdempotency: { store: redisIdempotencyStore(redis) } })',
      );
    const delivery = this.#verify(request);
    const admission = await this.#gate.admit(delivery.id);
    if (admission.run) this.#admitted.set(request, delivery);
    return admission;
  }

  #verify(request: WebhookRequest): WebhookDelivery {
    const verifier = this.#webhook;
    if (verifier === undefined)
      throw new ConfigurationError(
        'verifyWebhook needs webhookSecret: PostHogConversationsModule.forRoot({ ..., webhookSecret: process.env.POSTHOG_WEBHOOK_SECRET })',
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
  get client(): PostHogConversationsClient {
    if (this.#clientOptions === undefined) {
      throw new ConfigurationError(
        'PostHogConversationsModule has no client options: pass forRoot({ ..., client: { host, publicToken, ... } }).',
      );
    }
    return (this.#client ??= createClient(this.#clientOptions));
  }

  /** Closes the API client's connection pool when Nest shuts the app down. */
  async onModuleDestroy(): Promise<void> {
    await this.#client?.close();
  }
}

/** The parts of a Nest request (either platform) a webhook delivery is read from. */
export interface WebhookRequest {
  /** The raw body Nest keeps when the app is created with `{ rawBody: true }`. */
  rawBody?: Buffer | undefined;
  /** The request's headers. */
  headers: Record<string, string | string[] | undefined>;
}

/** The request of the handler being run, for the pipes behind the parameter decorators. */
export const CurrentRequest = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  context.switchToHttp().getRequest<unknown>(),
);
