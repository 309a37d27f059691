import { PostHogConversationsModule } from 'posthog-conversations/nestjs';

// Once, in your root module. getDistinctId reads your own auth: never a query string, body or header.
export const PostHogModule = PostHogConversationsModule.forRoot({
  secret: process.env.POSTHOG_SECRET_API_TOKEN,
  getDistinctId: (req) => req.session?.userId,
  getEmail: (req) => req.session?.email,
  client: { host: process.env.POSTHOG_HOST, publicToken: process.env.POSTHOG_WIDGET_TOKEN },
  isGlobal: true,
  identityRoute: '/api/posthog-identity', // GET: 200 with the identity, 401 for a visitor
});

// @PostHogIdentity() identity            the identity in any handler (null for a visitor)
// @UseInterceptors(PostHogIdentityInterceptor)   adds posthogIdentity to a login route's answer
// constructor(@Inject(PostHogConversationsService) posthog)   posthog.signer, posthog.client
