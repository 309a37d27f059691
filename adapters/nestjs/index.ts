/**
 * `posthog-conversations/nestjs` (Nest 10 to 12, Express or Fastify platform): the signer and the
 * API client by dependency injection, `@PosthogIdentity()` for handlers, an interceptor for login
 * answers and an optional SPA identity endpoint. Every injection names its token, so no
 * decorator metadata is needed.
 */
import {
  ConfigurableModuleBuilder,
  Controller,
  createParamDecorator,
  Get,
  Inject,
  Injectable,
  Module,
  Res,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleDestroy,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import { createClient, type ClientOptions, type PosthogConversationsClient } from '../../src/client.js';
import { ConfigurationError } from '../../src/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import type { IdentitySigner } from '../../src/identity/signer.js';
import { assertConfigKeys } from '../../src/options.js';
import {
  IDENTITY_RESOLVER_KEYS,
  createMaybeSyncResolver,
  identityEndpointAnswer,
  signerFrom,
  type IdentityResolverOptions,
} from '../../src/request-identity.js';

export type { IdentityFields } from '../../src/identity/identity-for.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

/**
 * Options of {@link PosthogConversationsModule}. With only `secret` (and `client`) the module is a
 * plain provider of the signer and the API clients; `getDistinctId` (it gets your platform's
 * request) adds `@PosthogIdentity()`, the interceptor and the identity route.
 */
export interface PosthogConversationsModuleOptions<Req = any> extends Omit<IdentityResolverOptions<Req>, 'getDistinctId'> {
  /** The logged-in user's distinct id from your own auth (`req.user?.id`); needed for the request helpers. */
  getDistinctId?: IdentityResolverOptions<Req>['getDistinctId'] | undefined;
  /** Options for `service.client` (the API clients); leave out if you only sign identities. */
  client?: ClientOptions | undefined;
}

const MODULE_OPTION_KEYS = [...IDENTITY_RESOLVER_KEYS, 'client'] as const;
const NEEDS_GET_DISTINCT_ID =
  'needs getDistinctId, which reads the logged-in user from your own auth: PosthogConversationsModule.forRoot({ secret, getDistinctId: (req) => req.user?.id })';

/** Set when the module is imported (not from the async factory): they shape the module itself. */
interface ModuleExtras {
  isGlobal?: boolean;
  /** Serve the SPA identity endpoint at this path (`GET`, 200 or 401, never cached). */
  identityRoute?: string | undefined;
}

/** The value the options provider holds: inject it with `@Inject(POSTHOG_CONVERSATIONS_OPTIONS)`. */
const builder = new ConfigurableModuleBuilder<PosthogConversationsModuleOptions>({ moduleName: 'PosthogConversations' })
  .setClassMethodName('forRoot')
  .setExtras<ModuleExtras>({ isGlobal: false, identityRoute: undefined }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? false,
    controllers: extras.identityRoute ? [identityController(extras.identityRoute)] : [],
  }))
  .build();

export const POSTHOG_CONVERSATIONS_OPTIONS: string | symbol = builder.MODULE_OPTIONS_TOKEN;

/** The signer, the identity of a request, and (with `client` options) the API clients. */
@Injectable()
export class PosthogConversationsService implements OnModuleDestroy {
  /** Signs and verifies identities with the module's secret. */
  readonly signer: IdentitySigner;
  readonly #resolve: ReturnType<typeof createMaybeSyncResolver> | undefined;
  readonly #clientOptions: ClientOptions | undefined;
  #client: PosthogConversationsClient | undefined;

  constructor(@Inject(builder.MODULE_OPTIONS_TOKEN) options: PosthogConversationsModuleOptions) {
    assertConfigKeys(options, MODULE_OPTION_KEYS, 'PosthogConversationsModule options');
    this.signer = signerFrom(options);
    const { client, getDistinctId, ...identity } = options;
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
    if (this.#resolve === undefined) throw new ConfigurationError(`identityOf (and @PosthogIdentity(), PosthogIdentityInterceptor) ${NEEDS_GET_DISTINCT_ID}`);
    return this.#resolve(request);
  }

  /** The API clients (`widget`, `tickets`, `external`, `settings`, `remoteConfig`), created on first use. */
  get client(): PosthogConversationsClient {
    if (this.#clientOptions === undefined) {
      throw new ConfigurationError('PosthogConversationsModule has no client options: pass forRoot({ ..., client: { host, publicToken, ... } }).');
    }
    return (this.#client ??= createClient(this.#clientOptions));
  }

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

const CurrentRequest = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<unknown>());

/**
 * The widget identity of the logged-in user (or null for a visitor), as a handler parameter.
 *
 * @example
 * @Get('/') page(@PosthogIdentity() identity: IdentityFields | null) { return { identity } }
 */
export const PosthogIdentity = (): ParameterDecorator => CurrentRequest(undefined, PosthogIdentityPipe);

/** Adds `posthogIdentity` to a handler's JSON answer, resolved after it ran: for login routes. */
@Injectable()
export class PosthogIdentityInterceptor implements NestInterceptor {
  constructor(@Inject(PosthogConversationsService) private readonly service: PosthogConversationsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<unknown>();
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          this.service.identityOf(request).then((posthogIdentity) =>
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
    async identity(@CurrentRequest() request: unknown, @Res({ passthrough: true }) response: { status(code: number): unknown; header(name: string, value: string): unknown }) {
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
  providers: [PosthogConversationsService, PosthogIdentityPipe, PosthogIdentityInterceptor],
  exports: [PosthogConversationsService, PosthogIdentityPipe, PosthogIdentityInterceptor],
})
export class PosthogConversationsModule extends builder.ConfigurableModuleClass {}
