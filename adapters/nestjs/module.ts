/** The module: its providers, and the identity route when `identityRoute` is set. */
import { nest } from './peers.js';
import { PostHogIdentityInterceptor, PostHogIdentityPipe } from './identity.js';
import { PostHogConversationsService, builder } from './service.js';
import { PostHogWebhookInterceptor, PostHogWebhookPipe } from './webhook.js';

const { Module } = nest;

/**
 * The Nest module: the signer and the API client by injection (`PostHogConversationsService`), the
 * identity pipe and interceptor, the webhook pipe, and the SPA identity route when `identityRoute` is set.
 *
 * @example
 * PostHogConversationsModule.forRoot({ secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (req) => req.user?.id, isGlobal: true, identityRoute: '/api/posthog-identity' })
 * PostHogConversationsModule.forRootAsync({ useFactory: (config: ConfigService) => ({ secret: config.get('POSTHOG_SECRET'), getDistinctId }), inject: [ConfigService] })
 */
@Module({
  providers: [PostHogConversationsService, PostHogIdentityPipe, PostHogIdentityInterceptor, PostHogWebhookPipe, PostHogWebhookInterceptor],
  exports: [PostHogConversationsService, PostHogIdentityPipe, PostHogIdentityInterceptor, PostHogWebhookPipe, PostHogWebhookInterceptor],
})
export class PostHogConversationsModule extends builder.ConfigurableModuleClass {
  /** The module with its options given now: `secret`, `getDistinctId`, `client`, `isGlobal`, `identityRoute`, ... */
  declare static forRoot: (typeof builder.ConfigurableModuleClass)['forRoot'];
  /** The module with its options from a factory (`useFactory` with `inject`, `useClass` or `useExisting`), for ConfigService. */
  declare static forRootAsync: (typeof builder.ConfigurableModuleClass)['forRootAsync'];
}
