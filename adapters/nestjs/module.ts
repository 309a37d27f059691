/** The module: its providers, and the identity route when `identityRoute` is set. */
import { nest } from './peers.js';
import { PosthogIdentityInterceptor, PosthogIdentityPipe } from './identity.js';
import { PosthogConversationsService, builder } from './service.js';
import { PosthogWebhookPipe } from './webhook.js';

const { Module } = nest;

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
