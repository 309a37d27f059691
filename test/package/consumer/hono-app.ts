// The Hono adapter's types as a Worker app uses them (Hono's own declarations need TypeScript 5.7+).
import { Hono } from 'hono';
import { posthogIdentity, type PostHogIdentityVariables } from 'posthog-conversations/hono';
import { hash } from './app.js';

type AppEnv = { Bindings: { POSTHOG_SECRET_API_TOKEN: string }; Variables: PostHogIdentityVariables };
const app = new Hono<AppEnv>();
app.use(posthogIdentity<AppEnv>({ secret: (c) => c.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: () => 'user_123' }));
app.get('/', (c) => c.json({ identity: c.var.posthogIdentity, hash }));

export default app;
