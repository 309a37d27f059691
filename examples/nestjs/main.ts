// The NestJS example: log in as a sample user; pages and the login answer carry the signed identity.
// With no POSTHOG_* variables it runs against the embedded emulator: no account needed.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Header, Inject, Module, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createInitSnippet } from 'posthog-conversations';
import {
  PostHogConversationsService,
  PostHogIdentity,
  PostHogIdentityInterceptor,
  type IdentityFields,
} from 'posthog-conversations/nestjs';
import { EMULATOR_DEFAULTS, startEmulator } from 'posthog-conversations/testing';

const real = Boolean(process.env.POSTHOG_SECRET_API_TOKEN && process.env.POSTHOG_PROJECT_API_KEY);
const emulator = real ? undefined : await startEmulator();
if (emulator) {
  process.env.POSTHOG_SECRET_API_TOKEN = EMULATOR_DEFAULTS.secretApiToken;
  process.env.POSTHOG_PROJECT_API_KEY = EMULATOR_DEFAULTS.projectApiKey;
  process.env.POSTHOG_WIDGET_TOKEN = EMULATOR_DEFAULTS.publicToken;
  process.env.POSTHOG_HOST = emulator.url;
}
const { PostHogModule } = await import('./posthog.module.js');
const renderInit = createInitSnippet({ projectApiKey: process.env.POSTHOG_PROJECT_API_KEY!, apiHost: process.env.POSTHOG_HOST });

type User = { userId: string; email: string; name: string };
type Request = { headers: { cookie?: string }; session?: User | undefined };
const USERS: Record<string, User> = { ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada' } };
const sessions = new Map<string, User>();

@Controller()
class AppController {
  constructor(@Inject(PostHogConversationsService) private readonly posthog: PostHogConversationsService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(@PostHogIdentity() identity: IdentityFields | null) {
    return `<!doctype html><html><head>
<script src="${process.env.POSTHOG_HOST}/static/array.js"></script>
${renderInit(identity)}
</head><body>
<p id="who">${identity ? 'Logged in' : 'Not logged in'}</p>
<button id="login">Log in as Ada without reloading</button> <button id="logout">Log out</button>
<script>
  document.getElementById('login').onclick = async () => {
    const res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ada' }) });
    const { posthogIdentity } = await res.json();
    window.posthog?.setIdentity?.(posthogIdentity.identity_distinct_id, posthogIdentity.identity_hash);
    document.getElementById('who').textContent = 'Logged in (without a reload)';
  };
  document.getElementById('logout').onclick = async () => {
    await fetch('/api/logout', { method: 'POST' });
    window.posthog?.clearIdentity?.();
    document.getElementById('who').textContent = 'Not logged in';
  };
</script>
</body></html>`;
  }

  @Post('api/login')
  @UseInterceptors(PostHogIdentityInterceptor)
  login(
    @Body() body: { user?: string },
    @Req() req: Request,
    @Res({ passthrough: true }) res: { cookie(name: string, value: string, options: object): void },
  ) {
    const user = USERS[body.user ?? ''];
    if (!user) return { error: 'Unknown user' };
    const sid = randomBytes(18).toString('base64url');
    sessions.set(sid, user);
    res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax' });
    req.session = user;
    return { name: user.name };
  }

  @Post('api/logout')
  logout(@Req() req: Request, @Res({ passthrough: true }) res: { clearCookie(name: string): void }) {
    sessions.delete(/(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');
    res.clearCookie('sid');
    return { ok: true };
  }

  @Get('api/my-tickets')
  async myTickets(@PostHogIdentity() identity: IdentityFields | null) {
    return identity ? this.posthog.client.widget.listTickets({ identity }) : { count: 0, results: [] };
  }
}

@Module({ imports: [PostHogModule], controllers: [AppController] })
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: ['error'] });
// The app's own auth, kept tiny for the demo: a session id cookie mapped to a user.
app.use((req: Request, _res: unknown, next: () => void) => {
  req.session = sessions.get(/(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');
  next();
});
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
console.log(`Example app: ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}`);
console.log(
  emulator ? `Against the embedded emulator at ${emulator.url} (no account needed)` : `Against PostHog at ${process.env.POSTHOG_HOST}`,
);
const stop = async () => {
  await app.close();
  await emulator?.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
